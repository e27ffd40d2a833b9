package io.github.moderncnns.architectures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.Activation;

/**
 * What the notebook prints with {@code for layer in net: X = layer(X); print(name, 'output shape:', X.shape)}, and
 * more: each vertex's name, type, output shape (without the batch dimension) and parameter counts, computed from the
 * configuration's input types alone (no forward pass).
 *
 * <p>Trainable counts equal PyTorch's {@code sum(p.numel() for p in net.parameters())}. DL4J also keeps a batch
 * norm's running mean and variance in its parameter vector; PyTorch keeps them as buffers, so they are counted
 * separately as {@link #statisticsParameters()}. {@link #multiplyAdds()} is the forward pass's work per image in its
 * convolution and fully connected layers, what decides whether a network is worth splitting over several threads.
 *
 * @param name the network's name
 * @param input the input type
 * @param layers one row per vertex, in the order they were added
 */
public record ModelSummary(String name, InputType input, List<LayerSummary> layers) {

    /**
     * One vertex of the graph.
     *
     * @param name the vertex name, e.g. {@code stage3_block1_add}
     * @param type the DL4J layer or vertex type, e.g. {@code ConvolutionLayer}
     * @param shape the output shape without the batch dimension, e.g. {@code [96, 54, 54]}
     * @param trainableParameters parameters trained by backpropagation
     * @param statisticsParameters batch-norm running mean and variance (PyTorch buffers)
     * @param multiplyAdds multiply-adds per image in the forward pass (convolution and fully connected layers; 0 for
     *                     the others)
     */
    public record LayerSummary(String name, String type, long[] shape, long trainableParameters,
            long statisticsParameters, long multiplyAdds) {
        /** The shape as the notebook shows it after the batch dimension, e.g. {@code 96x54x54}. */
        public String shapeText() {
            return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x"));
        }
    }

    /** Keeps an immutable copy of the rows. */
    public ModelSummary {
        layers = List.copyOf(layers);
    }

    /**
     * Computes the summary of a configuration.
     *
     * @param name the network's name
     * @param configuration the configuration (not modified)
     * @param input the input type
     * @return the summary
     */
    public static ModelSummary of(String name, ComputationGraphConfiguration configuration, InputType input) {
        ComputationGraphConfiguration copy = configuration.clone();
        Map<String, InputType> types = copy.getLayerActivationTypes(true, input);
        List<LayerSummary> rows = new ArrayList<>();
        for (Map.Entry<String, GraphVertex> entry : copy.getVertices().entrySet()) {
            String vertex = entry.getKey();
            if (copy.getNetworkInputs().contains(vertex)) {
                continue;
            }
            long trainable = 0;
            long statistics = 0;
            long multiplyAdds = 0;
            String type = entry.getValue().getClass().getSimpleName();
            long[] shape = types.get(vertex).getShape(false);
            if (entry.getValue() instanceof LayerVertex layerVertex) {
                Layer layer = layerVertex.getLayerConf().getLayer();
                type = layer.getClass().getSimpleName();
                if (layer instanceof FastBatchNormalization fast && fast.fusedActivation() != Activation.IDENTITY) {
                    type += fast.fusedActivation() == Activation.RELU ? " + ReLU" : " + Sigmoid";
                }
                long all = layer.initializer().numParams(layer);
                if (layer instanceof BatchNormalization batchNorm) {
                    statistics = 2 * batchNorm.getNOut();
                }
                trainable = all - statistics;
                multiplyAdds = multiplyAdds(layer, shape);
            }
            rows.add(new LayerSummary(vertex, type, shape, trainable, statistics, multiplyAdds));
        }
        return new ModelSummary(name, input, rows);
    }

    /** Per output value, a convolution does kernel area x input channels multiply-adds, a dense layer nIn. */
    private static long multiplyAdds(Layer layer, long[] outputShape) {
        long outputs = Arrays.stream(outputShape).reduce(1, Math::multiplyExact);
        if (layer instanceof ConvolutionLayer conv) {
            return outputs * conv.getKernelSize()[0] * conv.getKernelSize()[1] * conv.getNIn();
        }
        if (layer instanceof DenseLayer || layer instanceof BaseOutputLayer) {
            return outputs * ((FeedForwardLayer) layer).getNIn();
        }
        return 0;
    }

    /** The row of a vertex. */
    public LayerSummary layer(String vertex) {
        return layers.stream().filter(l -> l.name().equals(vertex)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no vertex '" + vertex + "' in " + name));
    }

    /** Trainable parameters in total, as PyTorch counts them. */
    public long trainableParameters() {
        return layers.stream().mapToLong(LayerSummary::trainableParameters).sum();
    }

    /** Batch-norm running statistics in total (in DL4J's parameter vector, PyTorch buffers). */
    public long statisticsParameters() {
        return layers.stream().mapToLong(LayerSummary::statisticsParameters).sum();
    }

    /** Multiply-adds per image in the forward pass, in total (convolution and fully connected layers). */
    public long multiplyAdds() {
        return layers.stream().mapToLong(LayerSummary::multiplyAdds).sum();
    }

    /** The table, one line per vertex, then the totals, e.g. {@code Trainable parameters: 46,764,746}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        long[] inputShape = input.getShape(false);
        text.append(String.format(Locale.ROOT, "%s, input %s%n", name, Arrays.stream(inputShape)
                .mapToObj(Long::toString).collect(Collectors.joining("x"))));
        int nameWidth = Math.max(5, layers.stream().mapToInt(l -> l.name().length()).max().orElse(5));
        int typeWidth = Math.max(4, layers.stream().mapToInt(l -> l.type().length()).max().orElse(4));
        String row = "%-" + nameWidth + "s  %-" + typeWidth + "s  %-14s  %,12d%n";
        text.append(String.format(Locale.ROOT, "%-" + nameWidth + "s  %-" + typeWidth + "s  %-14s  %12s%n", "layer",
                "type", "output shape", "parameters"));
        for (LayerSummary layer : layers) {
            text.append(String.format(Locale.ROOT, row, layer.name(), layer.type(), layer.shapeText(),
                    layer.trainableParameters()));
        }
        text.append(String.format(Locale.ROOT, "Trainable parameters: %,d%n", trainableParameters()));
        text.append(String.format(Locale.ROOT, "Multiply-adds per image (forward): %,d%n", multiplyAdds()));
        if (statisticsParameters() > 0) {
            text.append(String.format(Locale.ROOT,
                    "Batch-norm running statistics: %,d (not trained; PyTorch buffers)%n", statisticsParameters()));
        }
        return text.toString();
    }
}
