package io.github.moderncnns.training;

import io.github.moderncnns.architectures.NotebookModel;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a lab trains: which of the notebook's networks (always run in the notebook's order) and the settings they
 * share. Everything else comes from each network's notebook {@link Recipe}.
 *
 * @param models the networks, in the notebook's order
 * @param epochs epochs for every network, or {@code null} for each recipe's
 * @param limit at most this many images per subset, or -1 for all
 * @param dataDirectory the Fashion-MNIST directory, or {@code null} to search the usual places
 * @param seed the seed of initialisation, shuffling and dropout
 * @param splitSeed the seed of the train/validation split
 */
public record LabSettings(List<NotebookModel> models, Integer epochs, int limit, String dataDirectory, long seed,
        long splitSeed) {
    /** The networks the notebook trains, in its order. */
    public static final List<NotebookModel> NOTEBOOK_ORDER = List.of(NotebookModel.ALEXNET,
            NotebookModel.VGG11_SMALL, NotebookModel.LENET_BN, NotebookModel.RESNET18);

    /** Puts the networks in the notebook's order and checks them. */
    public LabSettings {
        if (models == null || models.isEmpty()) {
            throw new IllegalArgumentException("a lab needs at least one network, one of "
                    + NOTEBOOK_ORDER.stream().map(NotebookModel::id).toList());
        }
        for (NotebookModel model : models) {
            if (!NOTEBOOK_ORDER.contains(Objects.requireNonNull(model, "model"))) {
                throw new IllegalArgumentException(model.id() + " is not trained by the notebook; a lab trains "
                        + NOTEBOOK_ORDER.stream().map(NotebookModel::id).toList());
            }
        }
        models = models.stream().distinct().sorted(Comparator.comparingInt(NOTEBOOK_ORDER::indexOf)).toList();
        if (epochs != null && epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, found " + epochs);
        }
    }

    /** The whole notebook: four networks, their presets, all the data, seeds 42. */
    public static LabSettings notebook() {
        return new LabSettings(NOTEBOOK_ORDER, null, -1, null, RunSpec.NOTEBOOK_SEED, RunSpec.NOTEBOOK_SEED);
    }

    /**
     * @param value the networks to train (put in the notebook's order)
     * @return a copy with them
     */
    public LabSettings withModels(List<NotebookModel> value) {
        return new LabSettings(value, epochs, limit, dataDirectory, seed, splitSeed);
    }

    /**
     * @param model one of the lab's networks
     * @return its run: the network's notebook recipe with this lab's epochs, limit, data and seeds
     */
    public RunSpec runSpec(NotebookModel model) {
        Recipe recipe = Recipe.notebook(model);
        return RunSpec.notebook(model).withRecipe(epochs == null ? recipe : recipe.withEpochs(epochs))
                .withLimit(limit).withDataDirectory(dataDirectory == null ? null : Path.of(dataDirectory))
                .withSeed(seed).withSplitSeed(splitSeed);
    }
}
