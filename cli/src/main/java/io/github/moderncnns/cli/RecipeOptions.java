package io.github.moderncnns.cli;

import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.architectures.ResNet;
import io.github.moderncnns.data.Augmentation;
import io.github.moderncnns.training.Optimizer;
import io.github.moderncnns.training.Recipe;
import io.github.moderncnns.training.Schedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code train}'s recipe: a built-in one or a file ({@code --recipe}), else the notebook's for {@code --model}, with
 * any field overridden. Unset options are {@code null}: the recipe's value stays, and every default lives in
 * {@link Recipe}.
 */
final class RecipeOptions {
    /** The options, for the lists of what --resume and --spark refuse. */
    static final List<String> NAMES = List.of("--recipe", "--batch-size", "--lr", "--resize", "--stem", "--optimizer",
            "--momentum", "--weight-decay", "--schedule", "--warmup-epochs", "--label-smoothing", "--augment",
            "--early-stopping");

    @Option(names = "--recipe", paramLabel = "NAME|FILE", description = "A built-in recipe (see 'recipes': "
            + "notebook-<model> or resnet18-fmnist) or a recipe file (JSON, as --write-recipe writes it); names the "
            + "network, so not with --model. Default: the notebook's recipe for --model.")
    String recipe;

    @Option(names = "--batch-size", converter = Positive.class, description = "Images per minibatch (notebook: 128 "
            + "or 256).")
    Integer batchSize;

    @Option(names = "--lr", converter = PositiveNumber.class, description = "Base learning rate (notebook: 0.01 "
            + "AlexNet, 0.05 VGG/ResNet, 1.0 BN-LeNet).")
    Double learningRate;

    @Option(names = "--resize", converter = Positive.class, description = "Input side in pixels (notebook: 224, 96 "
            + "or 28).")
    Integer resize;

    @Option(names = "--stem", paramLabel = "notebook|small-images", description = "resnet18 only: the notebook's "
            + "7x7/2 stem with max pool, or a 3x3/1 stem without pool for 28x28 input.")
    String stem;

    @Option(names = "--optimizer", paramLabel = "sgd|momentum|nesterov|adam|adamw", description = "The optimizer "
            + "(notebook: sgd). momentum and nesterov default to momentum 0.9.")
    String optimizer;

    @Option(names = "--momentum", description = "Momentum of momentum and nesterov.")
    Double momentum;

    @Option(names = "--weight-decay", description = "Weight decay (PyTorch's weight_decay; decoupled for adamw).")
    Double weightDecay;

    @Option(names = "--schedule", paramLabel = "constant|step|cosine|one-cycle", description = "How the learning "
            + "rate moves over the run (notebook: constant).")
    String schedule;

    @Option(names = "--warmup-epochs", description = "Epochs of linear warm-up (one-cycle: of its rising phase).")
    Integer warmupEpochs;

    @Option(names = "--label-smoothing", description = "PyTorch's label_smoothing, e.g. 0.1 (notebook: 0).")
    Double labelSmoothing;

    @Option(names = "--augment", paramLabel = "SPEC", description = "Training-image augmentation: none, or a list "
            + "of crop:PAD, flip, erase:P, e.g. crop:2,flip,erase:0.5 (notebook: none).")
    String augment;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE", description = "Stop after PATIENCE epochs without "
            + "a better validation accuracy (notebook: never).")
    Integer earlyStopping;

    /**
     * The recipe the options ask for; a mistake in any of them is a usage error naming the option.
     *
     * @param model the --model given (the notebook recipe's network when there is no --recipe)
     * @param spec the command, for usage errors
     * @return the recipe
     */
    Recipe resolve(NotebookModel model, CommandSpec spec) {
        Recipe result = recipe == null ? Recipe.notebook(model) : base(spec);
        result = apply(spec, "--batch-size", result, r -> batchSize == null ? r : r.withBatchSize(batchSize));
        result = apply(spec, "--lr", result, r -> learningRate == null ? r : r.withLearningRate(learningRate));
        result = apply(spec, "--resize", result, r -> resize == null ? r : r.withResize(resize));
        result = apply(spec, "--stem", result, r -> stem == null ? r
                : r.withStem(ResNet.Stem.valueOf(choice(stem, "notebook", "small-images"))));
        result = apply(spec, "--optimizer", result, r -> optimizer == null ? r
                : r.withOptimizer(r.optimizer().withKind(Optimizer.Kind.byId(optimizer))));
        result = apply(spec, "--momentum", result, r -> momentum == null ? r : r.withOptimizer(new Optimizer(
                r.optimizer().kind(), r.optimizer().learningRate(), momentum, r.optimizer().weightDecay())));
        result = apply(spec, "--weight-decay", result, r -> weightDecay == null ? r : r.withOptimizer(new Optimizer(
                r.optimizer().kind(), r.optimizer().learningRate(), r.optimizer().momentum(), weightDecay)));
        result = apply(spec, "--schedule", result, r -> schedule == null ? r
                : r.withSchedule(new Schedule(Schedule.Shape.byId(schedule), r.schedule().warmupEpochs())));
        result = apply(spec, "--warmup-epochs", result, r -> warmupEpochs == null ? r
                : r.withSchedule(new Schedule(r.schedule().shape(), warmupEpochs)));
        result = apply(spec, "--label-smoothing", result, r -> labelSmoothing == null ? r
                : r.withLabelSmoothing(labelSmoothing));
        result = apply(spec, "--augment", result, r -> augment == null ? r
                : r.withAugmentation(Augmentation.parse(augment)));
        result = apply(spec, "--early-stopping", result, r -> earlyStopping == null ? r
                : r.withEarlyStopping(earlyStopping));
        return result;
    }

    /** A recipe's network must take its input size: checked here, so that a wrong size is a usage error. */
    private static Recipe apply(CommandSpec spec, String option, Recipe recipe,
            java.util.function.UnaryOperator<Recipe> change) {
        try {
            Recipe changed = change.apply(recipe);
            if (!changed.equals(recipe)) {
                changed.architecture(42, 1); // refuses input sizes the network cannot take
            }
            return changed;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    private static String choice(String value, String... allowed) {
        for (String each : allowed) {
            if (each.equals(value)) {
                return value.toUpperCase(Locale.ROOT).replace('-', '_');
            }
        }
        throw new IllegalArgumentException("expected one of " + String.join(", ", allowed) + ", found '" + value
                + "'");
    }

    private Recipe base(CommandSpec spec) {
        Path file = Path.of(recipe);
        if (Files.isRegularFile(file) || recipe.endsWith(".json")) {
            try {
                return Recipe.read(file);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new ParameterException(spec.commandLine(), "--recipe: " + recipe + " does not exist; give a "
                        + "recipe file or one of " + String.join(", ", Recipe.builtInNames()));
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "--recipe: " + e.getMessage());
            }
        }
        try {
            return Recipe.builtIn(recipe);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--recipe: " + e.getMessage());
        }
    }
}
