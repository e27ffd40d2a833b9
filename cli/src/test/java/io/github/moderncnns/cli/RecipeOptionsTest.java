package io.github.moderncnns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.moderncnns.data.Augmentation;
import io.github.moderncnns.training.Optimizer;
import io.github.moderncnns.training.Recipe;
import io.github.moderncnns.training.Schedule;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code recipes} and {@code train}'s recipe options, in this JVM through the commands' own writers (as every command
 * prints: {@link CommandOutput}).
 */
class RecipeOptionsTest {
    @TempDir
    Path dir;

    /** Exit code, standard output and standard error of one command line. */
    record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = ModernCnns.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = ModernCnns.run(commandLine, args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void recipesListsEveryBuiltInRecipeWithWhatItSets() {
        Run recipes = run("recipes");
        assertThat(recipes.exitCode()).as(recipes.err()).isZero();
        for (String name : Recipe.builtInNames()) {
            assertThat(recipes.out()).contains(name + System.lineSeparator());
        }
        assertThat(recipes.out()).contains("    lenet-bn, batch size 256, 10 epochs, input 28x28")
                .contains("    optimizer sgd, lr 1.0, schedule constant")
                .contains("    resnet18, batch size 128, 26 epochs, input 56x56")
                .contains("    augmentation crop:4,flip, label smoothing 0.1, early stopping off");
    }

    @Test
    void commandsPrintThroughTheirOwnWriters() {
        Run summary = run("summary", "--model", "lenet-bn");
        assertThat(summary.exitCode()).as(summary.err()).isZero();
        assertThat(summary.out()).contains("DL4J's layers").contains("Trainable parameters: 44,878");
    }

    @Test
    void optionsOverrideABuiltInRecipeAndWriteRecipeSavesIt() throws Exception {
        Path file = dir.resolve("mine.json");
        Run written = run("train", "--recipe", "resnet18-fmnist", "--epochs", "20", "--augment", "crop:4,flip",
                "--optimizer", "momentum", "--momentum", "0.8", "--weight-decay", "1e-4", "--schedule", "cosine",
                "--warmup-epochs", "2", "--label-smoothing", "0", "--early-stopping", "4", "--write-recipe",
                file.toString());
        assertThat(written.exitCode()).as(written.err()).isZero();
        assertThat(written.out()).contains("Recipe written to " + file + "; train it with: train --recipe " + file);
        assertThat(Recipe.read(file)).isEqualTo(Recipe.builtIn("resnet18-fmnist").withEpochs(20)
                .withAugmentation(new Augmentation(4, true, 0)).withOptimizer(new Optimizer(Optimizer.Kind.MOMENTUM,
                        0.1, 0.8, 1e-4)).withSchedule(new Schedule(Schedule.Shape.COSINE, 2)).withLabelSmoothing(0)
                .withEarlyStopping(4));

        Path again = dir.resolve("again.json");
        assertThat(run("train", "--recipe", file.toString(), "--lr", "0.05", "--write-recipe", again.toString())
                .exitCode()).isZero();
        assertThat(Recipe.read(again)).isEqualTo(Recipe.read(file).withLearningRate(0.05));
    }

    @Test
    void mistakesAreUsageErrorsNamingTheOption() {
        Path file = dir.resolve("never.json");
        assertUsageError(run("train", "--model", "alexnet", "--recipe", "resnet18-fmnist", "--write-recipe",
                file.toString()), "--model and --recipe cannot be combined: the recipe names its network");
        assertUsageError(run("train", "--optimizer", "sgd", "--momentum", "0.9", "--write-recipe", file.toString()),
                "--momentum: the sgd optimizer has no momentum (found 0.9); choose momentum or nesterov");
        assertUsageError(run("train", "--augment", "rotate", "--write-recipe", file.toString()),
                "--augment: invalid augmentation 'rotate': unknown augmentation 'rotate'");
        assertUsageError(run("train", "--recipe", "resnet50", "--write-recipe", file.toString()),
                "--recipe: unknown recipe 'resnet50'; the built-in recipes are notebook-alexnet");
        assertUsageError(run("train", "--recipe", dir.resolve("missing.json").toString()),
                "missing.json does not exist; give a recipe file or one of notebook-alexnet");
        assertUsageError(run("train", "--model", "alexnet", "--stem", "small-images", "--write-recipe",
                file.toString()), "--stem: only resnet18 has a choice of stem; alexnet has the notebook's");
        assertUsageError(run("train", "--schedule", "linear", "--write-recipe", file.toString()),
                "--schedule: unknown schedule 'linear'; expected one of constant, step, cosine, one-cycle");
        assertUsageError(run("train", "--model", "alexnet", "--resize", "32", "--write-recipe", file.toString()),
                "--resize: AlexNet cannot take 32x32 input");
        assertUsageError(run("train", "--resume", dir.toString(), "--optimizer", "adam"),
                "--optimizer cannot be combined with --resume");
        assertThat(file).doesNotExist();
    }

    private static void assertUsageError(Run run, String message) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(run.err()).contains(message);
    }
}
