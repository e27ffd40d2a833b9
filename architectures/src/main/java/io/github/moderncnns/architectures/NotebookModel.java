package io.github.moderncnns.architectures;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** The five networks of the notebook, by the short ids the command line uses. */
public enum NotebookModel {
    /** AlexNet at 224x224. */
    ALEXNET("alexnet", AlexNet::builder),
    /** VGG-11 at 224x224. */
    VGG11("vgg11", () -> Vgg.builder().setConvArch(Vgg.VGG_11)),
    /** VGG-11 with a quarter of the channels, the one the notebook trains. */
    VGG11_SMALL("vgg11-small", () -> Vgg.builder().setConvArch(Vgg.VGG_11_SMALL)),
    /** LeNet with batch normalization at 28x28. */
    LENET_BN("lenet-bn", BatchNormLeNet::builder),
    /** ResNet-18 at 96x96. */
    RESNET18("resnet18", ResNet::builder);

    private final String id;
    private final Supplier<CnnBuilder<?>> builder;

    NotebookModel(String id, Supplier<CnnBuilder<?>> builder) {
        this.id = id;
        this.builder = builder;
    }

    /** The short id, e.g. {@code lenet-bn}. */
    public String id() {
        return id;
    }

    /** A builder with the notebook's settings for this network. */
    public CnnBuilder<?> builder() {
        return builder.get();
    }

    /**
     * Which of the notebook's networks a graph is ({@link Architecture#fits}), for model files that do not say.
     *
     * @param graph an initialised graph
     * @param inputSize the side of its input images
     * @return the network, or empty if it is none of them
     */
    public static Optional<NotebookModel> of(ComputationGraph graph, int inputSize) {
        for (NotebookModel model : values()) {
            Architecture candidate;
            try {
                candidate = model.builder().optInputSize(inputSize).build();
            } catch (IllegalArgumentException e) {
                continue; // this network cannot take that input size
            }
            if (candidate.fits(graph)) {
                return Optional.of(model);
            }
        }
        return Optional.empty();
    }

    /**
     * @param id a short id such as {@code resnet18}
     * @return the model
     * @throws IllegalArgumentException naming the known ids if there is no such model
     */
    public static NotebookModel byId(String id) {
        for (NotebookModel model : values()) {
            if (model.id.equals(id)) {
                return model;
            }
        }
        throw new IllegalArgumentException("unknown model '" + id + "'; expected one of "
                + Arrays.stream(values()).map(NotebookModel::id).collect(Collectors.joining(", ")));
    }
}
