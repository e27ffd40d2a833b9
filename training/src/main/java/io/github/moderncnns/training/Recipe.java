package io.github.moderncnns.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.moderncnns.architectures.Architecture;
import io.github.moderncnns.architectures.CnnBuilder;
import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.architectures.ResNet;
import io.github.moderncnns.data.AtomicFiles;
import io.github.moderncnns.data.Augmentation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything a training run needs besides the data: the network and its input, the optimiser and its schedule, the
 * minibatch size and epochs, augmentation, label smoothing and early stopping. The notebook's settings are the
 * built-in recipes {@code notebook-alexnet}, ..., {@code notebook-resnet18} ({@link #notebook}); recipes beyond the
 * notebook are built in too ({@link #builtIn}) or read from a JSON file ({@link #read}). Every field can be changed
 * with a {@code with} method; each default lives here and nowhere else.
 *
 * @param name the built-in recipe (or file) this one started from, for reports
 * @param model the network
 * @param batchSize images per minibatch
 * @param epochs training epochs
 * @param resize input side in pixels (28: the images as they are)
 * @param stem ResNet's first layers ({@link ResNet.Stem#NOTEBOOK} for every other network)
 * @param optimizer optimiser, learning rate, momentum, weight decay
 * @param schedule how the learning rate moves
 * @param augmentation what is done to the training images
 * @param labelSmoothing PyTorch's {@code label_smoothing}, 0 for none
 * @param earlyStopping stop after this many epochs without a better validation accuracy, 0 never
 */
public record Recipe(String name, NotebookModel model, int batchSize, int epochs, int resize, ResNet.Stem stem,
        Optimizer optimizer, Schedule schedule, Augmentation augmentation, double labelSmoothing,
        int earlyStopping) {
    private static final ObjectMapper JSON = RunFilesJson.MAPPER;
    /** The improved ResNet-18 for Fashion-MNIST (issue 15's acceptance recipe). */
    public static final String RESNET18_FMNIST = "resnet18-fmnist";
    private static final String NOTEBOOK_PREFIX = "notebook-";

    /** Validates the values; a missing stem, schedule or augmentation (old files) is the notebook's. */
    public Recipe {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(optimizer, "optimizer");
        name = name == null ? NOTEBOOK_PREFIX + model.id() : name;
        stem = stem == null ? ResNet.Stem.NOTEBOOK : stem;
        schedule = schedule == null ? Schedule.CONSTANT : schedule;
        augmentation = augmentation == null ? Augmentation.none() : augmentation;
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, found " + batchSize);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, found " + epochs);
        }
        if (resize < 1) {
            throw new IllegalArgumentException("resize must be at least 1 pixel, found " + resize);
        }
        long values = (long) batchSize * resize * resize;
        if (values > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "a minibatch of %,d images of "
                    + "%dx%d pixels has %,d values, more than the %,d an array index reaches; lower the batch size "
                    + "or the resize", batchSize, resize, resize, values, Integer.MAX_VALUE));
        }
        if (stem != ResNet.Stem.NOTEBOOK && model != NotebookModel.RESNET18) {
            throw new IllegalArgumentException("only resnet18 has a choice of stem; " + model.id() + " has the "
                    + "notebook's");
        }
        if (schedule.warmupEpochs() >= epochs) {
            throw new IllegalArgumentException("a warm-up of " + schedule.warmupEpochs() + " epochs leaves nothing of "
                    + epochs + " epochs; use fewer warm-up epochs or more epochs");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), found " + labelSmoothing);
        }
        if (earlyStopping < 0) {
            throw new IllegalArgumentException("early stopping patience must be at least 0 epochs (0: never), found "
                    + earlyStopping);
        }
    }

    /**
     * The notebook's settings for a network, {@code notebook-<id>}: AlexNet 128 / 0.01 / 5 / 224; VGG-11 (and small)
     * 128 / 0.05 / 5 / 224; BN-LeNet 256 / 1.0 / 10 / 28; ResNet-18 256 / 0.05 / 5 / 96 (batch size, learning rate
     * from the architecture's builder, epochs, resize); plain SGD at a constant rate, no augmentation.
     *
     * @param model the network
     * @return its recipe
     */
    public static Recipe notebook(NotebookModel model) {
        int[] batchEpochsResize = switch (model) {
            case ALEXNET, VGG11, VGG11_SMALL -> new int[] {128, 5, 224};
            case LENET_BN -> new int[] {256, 10, 28};
            case RESNET18 -> new int[] {256, 5, 96};
        };
        return new Recipe(NOTEBOOK_PREFIX + model.id(), model, batchEpochsResize[0], batchEpochsResize[1],
                batchEpochsResize[2], ResNet.Stem.NOTEBOOK, Optimizer.sgd(model.builder().notebookLearningRate()),
                Schedule.CONSTANT, Augmentation.none(), 0, 0);
    }

    /**
     * The ResNet-18 recipe for Fashion-MNIST beyond the notebook: Nesterov momentum with weight decay, a one-cycle
     * schedule, crop and flip augmentation and label smoothing, at 56x56 through the notebook's stem (its stages
     * start at 14x14), 26 epochs. The input size and the epochs are the 4-hour budget's choice: measured idle on the
     * 2-core machine (2026-12-02, before jemalloc), about 55 training images/s at 56 against 20 at 28 through the 3x3
     * stem ({@link ResNet.Stem#SMALL_IMAGES}), a 2.8x difference. Its full run (2026-12-03, docs/results.md) reached
     * 94.01 % test accuracy with the best-validation model (epoch 25; 93.92 % after epoch 26) in 3 h 29 min of
     * training, about 460 s an epoch on a slow day; 12 epochs had stopped at 93.31 %, still underfitting.
     */
    private static Recipe resnet18Fmnist() {
        return new Recipe(RESNET18_FMNIST, NotebookModel.RESNET18, 128, 26, 56, ResNet.Stem.NOTEBOOK,
                new Optimizer(Optimizer.Kind.NESTEROV, 0.1, 0.9, 5e-4), new Schedule(Schedule.Shape.ONE_CYCLE, 0),
                new Augmentation(4, true, 0), 0.1, 0);
    }

    /** The names of the built-in recipes, notebook ones first. */
    public static List<String> builtInNames() {
        List<String> names = new ArrayList<>();
        Arrays.stream(NotebookModel.values()).forEach(model -> names.add(NOTEBOOK_PREFIX + model.id()));
        names.add(RESNET18_FMNIST);
        return names;
    }

    /**
     * @param name a built-in recipe's name, e.g. {@code notebook-lenet-bn} or {@code resnet18-fmnist}
     * @return the recipe
     * @throws IllegalArgumentException listing the names
     */
    public static Recipe builtIn(String name) {
        if (name.equals(RESNET18_FMNIST)) {
            return resnet18Fmnist();
        }
        if (name.startsWith(NOTEBOOK_PREFIX)) {
            for (NotebookModel model : NotebookModel.values()) {
                if (name.equals(NOTEBOOK_PREFIX + model.id())) {
                    return notebook(model);
                }
            }
        }
        throw new IllegalArgumentException("unknown recipe '" + name + "'; the built-in recipes are "
                + String.join(", ", builtInNames()) + " (or give a recipe file)");
    }

    /**
     * The network this recipe trains, ready for {@code init()}: one place that turns a recipe into an architecture.
     *
     * @param seed the weight initialisation's seed
     * @param batchesPerEpoch minibatches per epoch (the schedule's length depends on it)
     * @return the architecture
     */
    public Architecture architecture(long seed, int batchesPerEpoch) {
        CnnBuilder<?> builder = model == NotebookModel.RESNET18
                ? ((ResNet) model.builder()).optStem(stem) : model.builder();
        builder.optSeed(seed).optInputSize(resize)
                .optUpdater(optimizer.updater(schedule, batchesPerEpoch, epochs));
        optimizer.regularization().ifPresent(builder::optRegularization);
        return builder.build();
    }

    /**
     * @param images the number of training images
     * @return minibatches per epoch at this recipe's batch size
     */
    public int batchesPerEpoch(int images) {
        return (images + batchSize - 1) / batchSize;
    }

    /** Whether this is exactly one of the notebook's recipes (its accuracy band then applies). */
    public boolean notebookSettings() {
        return equals(notebook(model));
    }

    /** Whether this is a built-in recipe exactly, not one with changed fields that kept its name. */
    public boolean matchesBuiltIn() {
        return builtInNames().contains(name) && equals(builtIn(name));
    }

    /** The recipe's name as reports show it: {@code notebook-lenet-bn}, or {@code notebook-lenet-bn, changed}. */
    public String label() {
        return name + (builtInNames().contains(name) && !matchesBuiltIn() ? ", changed" : "");
    }

    /** The lines report.md shows. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("recipe " + label() + (notebookSettings() ? " (the notebook's settings)" : ""));
        lines.add(model.id() + ", batch size " + batchSize + ", " + epochs + " epochs, input " + resize + "x" + resize
                + (stem == ResNet.Stem.NOTEBOOK ? "" : ", " + stem.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + " stem"));
        lines.add("optimizer " + optimizer + ", schedule " + schedule);
        lines.add("augmentation " + augmentation + ", label smoothing " + labelSmoothing + ", early stopping "
                + (earlyStopping == 0 ? "off" : "after " + earlyStopping + " epochs without improvement"));
        return lines;
    }

    /**
     * Writes this recipe as JSON (atomically).
     *
     * @param file the file
     * @throws IOException if writing fails
     */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, JSON.writeValueAsBytes(this));
    }

    /**
     * Reads a recipe file written by {@link #write} (or by hand: fields left out take the notebook's values for its
     * model, a missing name becomes the file's).
     *
     * @param file the file
     * @return the recipe
     * @throws IOException naming the file and what is wrong with it
     */
    public static Recipe read(Path file) throws IOException {
        if (Files.size(file) > 64 * 1024) {
            throw new IOException(file + " is " + Files.size(file) + " bytes, too large for a recipe (at most 64 KiB)");
        }
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is not a JSON recipe: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject() || !tree.has("model")) {
            throw new IOException(file + " is not a recipe: expected a JSON object with at least \"model\", e.g. "
                    + "{\"model\": \"RESNET18\", \"epochs\": 20}");
        }
        try {
            NotebookModel model = JSON.treeToValue(tree.get("model"), NotebookModel.class);
            com.fasterxml.jackson.databind.node.ObjectNode filled = JSON.valueToTree(notebook(model));
            filled.put("name", file.getFileName().toString().replaceFirst("\\.json$", ""));
            filled.setAll((com.fasterxml.jackson.databind.node.ObjectNode) tree);
            return JSON.treeToValue(filled, Recipe.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is not a valid recipe: " + e.getOriginalMessage()
                    + "; write one with train --write-recipe to see every field", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a valid recipe: " + e.getMessage(), e);
        }
    }

    /** @return a copy with this name (the recipe's values unchanged) */
    public Recipe withName(String value) {
        return new Recipe(value, model, batchSize, epochs, resize, stem, optimizer, schedule, augmentation,
                labelSmoothing, earlyStopping);
    }

    /** @return a copy with this batch size */
    public Recipe withBatchSize(int value) {
        return new Recipe(name, model, value, epochs, resize, stem, optimizer, schedule, augmentation, labelSmoothing,
                earlyStopping);
    }

    /** @return a copy with this number of epochs */
    public Recipe withEpochs(int value) {
        return new Recipe(name, model, batchSize, value, resize, stem, optimizer, schedule, augmentation,
                labelSmoothing, earlyStopping);
    }

    /** @return a copy with this input side */
    public Recipe withResize(int value) {
        return new Recipe(name, model, batchSize, epochs, value, stem, optimizer, schedule, augmentation,
                labelSmoothing, earlyStopping);
    }

    /** @return a copy with this stem */
    public Recipe withStem(ResNet.Stem value) {
        return new Recipe(name, model, batchSize, epochs, resize, value, optimizer, schedule, augmentation,
                labelSmoothing, earlyStopping);
    }

    /** @return a copy with this optimizer */
    public Recipe withOptimizer(Optimizer value) {
        return new Recipe(name, model, batchSize, epochs, resize, stem, value, schedule, augmentation, labelSmoothing,
                earlyStopping);
    }

    /** @return a copy with this base learning rate */
    public Recipe withLearningRate(double value) {
        return withOptimizer(new Optimizer(optimizer.kind(), value, optimizer.momentum(), optimizer.weightDecay()));
    }

    /** @return a copy with this schedule */
    public Recipe withSchedule(Schedule value) {
        return new Recipe(name, model, batchSize, epochs, resize, stem, optimizer, value, augmentation, labelSmoothing,
                earlyStopping);
    }

    /** @return a copy with this augmentation */
    public Recipe withAugmentation(Augmentation value) {
        return new Recipe(name, model, batchSize, epochs, resize, stem, optimizer, schedule, value, labelSmoothing,
                earlyStopping);
    }

    /** @return a copy with this label smoothing */
    public Recipe withLabelSmoothing(double value) {
        return new Recipe(name, model, batchSize, epochs, resize, stem, optimizer, schedule, augmentation, value,
                earlyStopping);
    }

    /** @return a copy with this early-stopping patience (0: never) */
    public Recipe withEarlyStopping(int value) {
        return new Recipe(name, model, batchSize, epochs, resize, stem, optimizer, schedule, augmentation,
                labelSmoothing, value);
    }
}
