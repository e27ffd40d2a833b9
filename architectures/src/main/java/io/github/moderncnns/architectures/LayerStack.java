package io.github.moderncnns.architectures;

import java.util.ArrayList;
import java.util.List;
import io.github.moderncnns.architectures.TorchParameter.Form;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Adds the notebook's building blocks to a DL4J graph, one after the other, each taking the previous one as input
 * (or another vertex, for branches). It is the one place where a PyTorch layer becomes a DL4J layer, so every
 * architecture gets the same translation, and it records which PyTorch tensor each parameter corresponds to.
 *
 * <p>The translation rules: explicit padding with PyTorch's floor arithmetic ({@link ConvolutionMode#Truncate},
 * never "same"); Xavier-uniform weights with PyTorch's fans ({@link PyTorchXavierUniform}); batch normalization with
 * PyTorch's eps 1e-5 and momentum 0.1 (DL4J decay 0.9), with DL4J's log10-std storage of the running variance
 * ({@link TorchParameter.Form#LOG10_STD}), computed by the project's kernel ({@link FastBatchNormalization}) unless
 * the builder asks for DL4J's classes only; pooling through the project's kernel ({@link FastSubsampling}, same
 * condition); the network's first convolution without the gradient at the network's input
 * ({@link InputConvolution}, same condition); an activation right after a batch norm or a residual sum fused into
 * it (same condition); and dropout as a layer of its own with DL4J's retain probability {@code 1 - p}.
 */
final class LayerStack {
    private final GraphBuilder graph;
    private final List<TorchParameter> torchParameters = new ArrayList<>();
    private final boolean fastLayers;
    private final String networkInput;
    private String current;

    LayerStack(GraphBuilder graph, String input, boolean fastLayers) {
        this.graph = graph;
        this.networkInput = input;
        this.current = input;
        this.fastLayers = fastLayers;
    }

    /** The vertex the next block will take as input. */
    String current() {
        return current;
    }

    /** Continues from another vertex (to build a branch). */
    LayerStack from(String vertex) {
        current = vertex;
        return this;
    }

    /** The PyTorch tensors recorded so far, in the order they were added. */
    List<TorchParameter> torchParameters() {
        return List.copyOf(torchParameters);
    }

    /** {@code nn.Conv2d(in, out, kernel, stride, padding)} followed by {@code activation} (identity for none). */
    LayerStack conv(String name, String torchModule, int channels, int kernel, int stride, int padding,
            Activation activation) {
        ConvolutionLayer.Builder conv = new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride)
                .padding(padding, padding).convolutionMode(ConvolutionMode.Truncate).nOut(channels)
                .activation(activation).weightInit(new PyTorchXavierUniform());
        add(name, fastLayers && current.equals(networkInput) ? new InputConvolution(conv) : conv.build());
        weightsAndBias(name, torchModule, false);
        return this;
    }

    /** {@code nn.BatchNorm2d} / {@code nn.BatchNorm1d} with PyTorch's defaults. */
    LayerStack batchNorm(String name, String torchModule) {
        return batchNorm(name, torchModule, fastLayers ? new FastBatchNormalization() : new BatchNormalization());
    }

    /**
     * {@code nn.BatchNorm2d} / {@code nn.BatchNorm1d} followed by {@code activation} ({@code nn.ReLU()},
     * {@code nn.Sigmoid()}): one layer when batch norm runs through the project's kernel, which fuses the two
     * ({@link FastBatchNormalization}); otherwise DL4J's layer and an activation layer named {@code activationName}
     * (DL4J's batch-norm layer ignores an activation set on it).
     */
    LayerStack batchNorm(String name, String torchModule, Activation activation, String activationName) {
        if (fastLayers) {
            return batchNorm(name, torchModule, new FastBatchNormalization(activation));
        }
        return batchNorm(name, torchModule, new BatchNormalization()).activation(activationName, activation);
    }

    private LayerStack batchNorm(String name, String torchModule, BatchNormalization layer) {
        layer.setEps(1e-5);
        layer.setDecay(0.9);
        layer.setUseLogStd(true);
        add(name, layer);
        torchParameters.add(new TorchParameter(torchModule + ".weight", name, "gamma", Form.SAME, true));
        torchParameters.add(new TorchParameter(torchModule + ".bias", name, "beta", Form.SAME, true));
        torchParameters.add(new TorchParameter(torchModule + ".running_mean", name, "mean", Form.SAME, false));
        torchParameters.add(new TorchParameter(torchModule + ".running_var", name, "log10stdev", Form.LOG10_STD,
                false));
        return this;
    }

    /** An activation on its own. */
    private LayerStack activation(String name, Activation activation) {
        return add(name, new ActivationLayer.Builder().activation(activation).build());
    }

    /** {@code nn.MaxPool2d(kernel, stride, padding)}. */
    LayerStack maxPool(String name, int kernel, int stride, int padding) {
        return pool(name, PoolingType.MAX, kernel, stride, padding);
    }

    /** {@code nn.AvgPool2d(kernel, stride)}. */
    LayerStack avgPool(String name, int kernel, int stride) {
        return pool(name, PoolingType.AVG, kernel, stride, 0);
    }

    private LayerStack pool(String name, PoolingType type, int kernel, int stride, int padding) {
        SubsamplingLayer.Builder pool = new SubsamplingLayer.Builder(type).kernelSize(kernel, kernel)
                .stride(stride, stride).padding(padding, padding).convolutionMode(ConvolutionMode.Truncate);
        return add(name, fastLayers ? new FastSubsampling(pool) : pool.build());
    }

    /** {@code nn.AdaptiveAvgPool2d((1, 1))}: output channels x 1 x 1, flattened by the next dense layer. */
    LayerStack globalAvgPool(String name) {
        return add(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).collapseDimensions(false).build());
    }

    /**
     * {@code nn.Linear(in, units)} followed by {@code activation}. A flatten in front of it is implicit: DL4J
     * flattens a convolutional input in channel-height-width order, as {@code nn.Flatten()} does.
     */
    LayerStack dense(String name, String torchModule, int units, Activation activation) {
        add(name, new DenseLayer.Builder().nOut(units).activation(activation)
                .weightInit(new PyTorchXavierUniform()).build());
        weightsAndBias(name, torchModule, true);
        return this;
    }

    /**
     * {@code nn.Dropout(p)} as a layer of its own (none if {@code p} is 0), so that its output, the input the next
     * layer really sees, is visible to listeners and summaries as in the notebook's printout.
     */
    LayerStack dropout(String name, double p) {
        if (p == 0) {
            return this;
        }
        // DL4J's Dropout takes the probability of *keeping* a value
        return add(name, new DropoutLayer.Builder().dropOut(new Dropout(1.0 - p)).build());
    }

    /** {@code nn.Linear(in, classes)} with softmax + cross-entropy ({@code nn.CrossEntropyLoss} on logits). */
    LayerStack output(String name, String torchModule, int classes) {
        add(name, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(new PyTorchXavierUniform()).build());
        weightsAndBias(name, torchModule, true);
        return this;
    }

    /**
     * {@code Y += X; F.relu(Y)}: the element-wise sum of the current vertex and {@code other}, through a ReLU. One
     * {@link ResidualAddRelu} vertex named {@code reluName} with the project's layers; otherwise DL4J's
     * {@code ElementWiseVertex(Add)} named {@code addName} and an activation layer named {@code reluName}.
     */
    LayerStack addThenRelu(String addName, String other, String reluName) {
        if (fastLayers) {
            graph.addVertex(reluName, new ResidualAddRelu(), current, other);
            current = reluName;
            return this;
        }
        graph.addVertex(addName, new ElementWiseVertex(ElementWiseVertex.Op.Add), current, other);
        current = addName;
        return activation(reluName, Activation.RELU);
    }

    private LayerStack add(String name, org.deeplearning4j.nn.conf.layers.Layer layer) {
        graph.addLayer(name, layer, current);
        current = name;
        return this;
    }

    private void weightsAndBias(String name, String torchModule, boolean transposed) {
        torchParameters.add(new TorchParameter(torchModule + ".weight", name, "W",
                transposed ? Form.TRANSPOSED : Form.SAME, true));
        torchParameters.add(new TorchParameter(torchModule + ".bias", name, "b", Form.SAME, true));
    }
}
