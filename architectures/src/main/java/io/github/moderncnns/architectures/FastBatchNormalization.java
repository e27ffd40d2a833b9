package io.github.moderncnns.architectures;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The configuration of DL4J's {@link BatchNormalization} layer (same parameters, same JSON fields, same PyTorch
 * mapping) whose runtime layer is a {@link FastBatchNormalizationLayer}: batch norm through {@link BatchNormKernel},
 * optionally followed by the activation the notebook writes right after it ({@code nn.ReLU}, {@code nn.Sigmoid}) in
 * the same layer. Why fuse: as a layer of its own, an activation copies its input forward and backward; inside the
 * kernel's loops it costs almost nothing. Saved graphs name this class, so loading them needs this library on the
 * class path, as our model files do anyway.
 */
public class FastBatchNormalization extends BatchNormalization {
    /** What the kernel can fuse. */
    static final Set<Activation> FUSABLE = EnumSet.of(Activation.RELU, Activation.SIGMOID);

    /** In the layer's JSON when set; absent (none) in unfused layers and in files written before fusion existed. */
    @JsonProperty
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private Activation fusedActivation;

    /** DL4J's defaults, which are PyTorch's: eps 1e-5, decay 0.9 (momentum 0.1), log10-std running variance. */
    public FastBatchNormalization() {
        super();
    }

    /**
     * @param fusedActivation the activation applied to the normalized output, {@link Activation#RELU} or
     *                        {@link Activation#SIGMOID}
     * @throws IllegalArgumentException for another activation
     */
    public FastBatchNormalization(Activation fusedActivation) {
        this();
        if (!FUSABLE.contains(fusedActivation)) {
            throw new IllegalArgumentException("batch norm can fuse " + FUSABLE + ", not " + fusedActivation);
        }
        this.fusedActivation = fusedActivation;
    }

    /** @return the activation that follows the normalization, {@link Activation#IDENTITY} for none */
    public Activation fusedActivation() {
        return fusedActivation == null ? Activation.IDENTITY : fusedActivation;
    }

    @Override
    public boolean equals(Object other) {
        return super.equals(other) && other instanceof FastBatchNormalization fast
                && fusedActivation() == fast.fusedActivation();
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + fusedActivation().hashCode();
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return RuntimeLayers.wire(new FastBatchNormalizationLayer(conf, networkDataType), conf, trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }
}
