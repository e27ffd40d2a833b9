package io.github.moderncnns.cli;

import io.github.moderncnns.training.Recipe;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code recipes}: the built-in recipes and what each sets. */
@Command(name = "recipes", mixinStandardHelpOptions = true,
        description = "List the built-in training recipes: the notebook's, one per network, and those beyond it. "
                + "Use one with 'train --recipe NAME'; write one to a file to edit with 'train --recipe NAME "
                + "--write-recipe FILE'.")
final class RecipesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (String name : Recipe.builtInNames()) {
            Recipe recipe = Recipe.builtIn(name);
            out.println(name);
            recipe.describe().stream().skip(1).forEach(line -> out.println("    " + line));
        }
        out.flush();
        return 0;
    }
}
