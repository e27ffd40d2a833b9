package io.github.moderncnns.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.moderncnns.architectures.Architecture;
import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.data.FashionMnist;
import io.github.moderncnns.data.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Everything that defines a notebook training run, saved as {@code run.json} in its run directory so that
 * {@link NotebookTraining#resume} can rebuild the same data and model.
 *
 * @param model the network
 * @param recipe everything about the training besides the data (run.json files written before recipes existed
 *               hold a {@code preset} of batch size, learning rate, epochs and resize, read back as the notebook's
 *               recipe with those values)
 * @param seed the seed of the weight initialisation, the shuffling and dropout (the notebook:
 *             {@code torch.manual_seed(42)})
 * @param splitSeed the seed of the 50,000/10,000 split alone (the notebook: {@code torch.Generator().manual_seed(42)});
 *                  run.json files written before it existed used {@code seed} for both, and read back that way
 * @param limit at most this many images per subset, or -1 for all
 * @param dataDirectory the Fashion-MNIST directory, or {@code null} to search the usual places
 * @param restoreBest whether the final model is the best-validation one
 * @param keepCheckpoints epoch checkpoints to keep
 * @param uiFrequency iterations between UI statistics records (at most; short epochs get at least 4 records)
 * @param dataParallel workers training in parallel (run.json files without it: one device)
 */
public record RunSpec(NotebookModel model, Recipe recipe, long seed, Long splitSeed, int limit,
        String dataDirectory, boolean restoreBest, int keepCheckpoints, int uiFrequency, DataParallel dataParallel) {
    /** The file's name in the run directory. */
    public static final String FILE = "run.json";
    private static final ObjectMapper JSON = RunFilesJson.MAPPER;

    /** The notebook's seed, for the split as for everything else. */
    public static final long NOTEBOOK_SEED = 42;

    /** Fills in what specs written by earlier versions lack: one device, and the split seed equal to the seed. */
    public RunSpec {
        java.util.Objects.requireNonNull(recipe, "recipe");
        if (recipe.model() != model) {
            throw new IllegalArgumentException("the recipe trains " + recipe.model().id() + ", not " + model.id());
        }
        if (dataParallel == null) {
            dataParallel = DataParallel.single();
        }
        if (splitSeed == null) {
            splitSeed = seed;
        }
    }

    /**
     * Reads run.json, of this version or an earlier one (with a {@code preset} instead of a recipe).
     */
    @JsonCreator
    static RunSpec fromJson(@JsonProperty("model") NotebookModel model, @JsonProperty("recipe") Recipe recipe,
            @JsonProperty("preset") LegacyPreset preset, @JsonProperty("seed") long seed,
            @JsonProperty("splitSeed") Long splitSeed, @JsonProperty("limit") int limit,
            @JsonProperty("dataDirectory") String dataDirectory, @JsonProperty("restoreBest") boolean restoreBest,
            @JsonProperty("keepCheckpoints") int keepCheckpoints, @JsonProperty("uiFrequency") int uiFrequency,
            @JsonProperty("dataParallel") DataParallel dataParallel) {
        if (recipe == null && preset == null) {
            throw new IllegalArgumentException("run.json has neither a recipe nor a preset");
        }
        return new RunSpec(model, recipe != null ? recipe : preset.recipe(), seed, splitSeed, limit, dataDirectory,
                restoreBest, keepCheckpoints, uiFrequency, dataParallel);
    }

    /** What run.json held before recipes: the notebook's hyper-parameters, changed or not. */
    record LegacyPreset(NotebookModel model, int batchSize, double learningRate, int epochs, int resize) {
        Recipe recipe() {
            return Recipe.notebook(model).withBatchSize(batchSize).withLearningRate(learningRate).withEpochs(epochs)
                    .withResize(resize);
        }
    }

    /**
     * The notebook's run for a model: its recipe, seed and split seed 42, all data, the last epoch's model, 2
     * checkpoints, UI statistics every 10 iterations.
     *
     * @param model the network
     * @return the spec
     */
    public static RunSpec notebook(NotebookModel model) {
        return new RunSpec(model, Recipe.notebook(model), NOTEBOOK_SEED, NOTEBOOK_SEED, -1, null, false, 2, 10,
                DataParallel.single());
    }

    /**
     * A run of a recipe, otherwise as {@link #notebook}.
     *
     * @param recipe the recipe
     * @return the spec
     */
    public static RunSpec of(Recipe recipe) {
        return notebook(recipe.model()).withRecipe(recipe);
    }

    /**
     * @param value the recipe (of this spec's model)
     * @return a copy with it
     */
    public RunSpec withRecipe(Recipe value) {
        return new RunSpec(model, value, seed, splitSeed, limit, dataDirectory, restoreBest, keepCheckpoints,
                uiFrequency, dataParallel);
    }

    /**
     * @param value the seed
     * @return a copy with it
     */
    public RunSpec withSeed(long value) {
        return new RunSpec(model, recipe, value, splitSeed, limit, dataDirectory, restoreBest, keepCheckpoints,
                uiFrequency, dataParallel);
    }

    /**
     * @param value the split seed
     * @return a copy with it
     */
    public RunSpec withSplitSeed(long value) {
        return new RunSpec(model, recipe, seed, value, limit, dataDirectory, restoreBest, keepCheckpoints,
                uiFrequency, dataParallel);
    }

    /**
     * @param value the per-subset image limit, -1 for none
     * @return a copy with it
     */
    public RunSpec withLimit(int value) {
        return new RunSpec(model, recipe, seed, splitSeed, value, dataDirectory, restoreBest, keepCheckpoints,
                uiFrequency, dataParallel);
    }

    /**
     * @param value the data directory, or null
     * @return a copy with it
     */
    public RunSpec withDataDirectory(Path value) {
        return new RunSpec(model, recipe, seed, splitSeed, limit, value == null ? null : value.toString(), restoreBest,
                keepCheckpoints, uiFrequency, dataParallel);
    }

    /**
     * @param value whether to restore the best-validation model
     * @return a copy with it
     */
    public RunSpec withRestoreBest(boolean value) {
        return new RunSpec(model, recipe, seed, splitSeed, limit, dataDirectory, value, keepCheckpoints,
                uiFrequency, dataParallel);
    }

    /**
     * @param value the workers and how they agree
     * @return a copy with it
     */
    public RunSpec withDataParallel(DataParallel value) {
        return new RunSpec(model, recipe, seed, splitSeed, limit, dataDirectory, restoreBest, keepCheckpoints,
                uiFrequency, value);
    }

    /** The training images per epoch: the notebook's 50,000, or fewer with a limit. */
    public int trainImages() {
        return limit < 0 ? FashionMnist.NOTEBOOK_TRAIN_SIZE : Math.min(limit, FashionMnist.NOTEBOOK_TRAIN_SIZE);
    }

    /** The network to train, from the recipe and the seed, its schedule as long as this run. */
    public Architecture architecture() {
        return recipe.architecture(seed, recipe.batchesPerEpoch(trainImages()));
    }

    /**
     * Writes {@value #FILE} atomically.
     *
     * @param runDirectory the run directory
     * @throws IOException if writing fails
     */
    public void write(Path runDirectory) throws IOException {
        AtomicFiles.write(runDirectory.resolve(FILE), JSON.writeValueAsBytes(this));
    }

    /**
     * @param runDirectory a run directory
     * @return its spec
     * @throws IOException if {@value #FILE} is missing or unreadable
     */
    public static RunSpec read(Path runDirectory) throws IOException {
        Path file = runDirectory.resolve(FILE);
        if (!file.toFile().isFile()) {
            throw new IOException(runDirectory + " is not a run directory: it has no " + FILE);
        }
        return JSON.readValue(file.toFile(), RunSpec.class);
    }
}
