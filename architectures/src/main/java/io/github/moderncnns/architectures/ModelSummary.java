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
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * What the notebook prints with {@code for layer in net: X = layer(X); print(name, 'output shape:', X.shape)}, and
 * more: each vertex's name, type, output shape (without the batch dimension) and parameter counts, computed from the
 * configuration's input types alone (no forward pass).
 *
 * <p>Trainable counts equal PyTorch's {@code sum(p.numel() for p in net.parameters())}. DL4J also keeps a batch
 * norm's running mean and variance in its parameter vector; PyTorch keeps them as buffers, so they are counted
 * separately as {@link #statisticsParameters()}.
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
     */
    public record LayerSummary(String name, String type, long[] shape, long trainableParameters,
            long statisticsParameters) {
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
            String type = entry.getValue().getClass().getSimpleName();
            if (entry.getValue() instanceof LayerVertex layerVertex) {
                Layer layer = layerVertex.getLayerConf().getLayer();
                type = layer.getClass().getSimpleName();
                long all = layer.initializer().numParams(layer);
                if (layer instanceof BatchNormalization batchNorm) {
                    statistics = 2 * batchNorm.getNOut();
                }
                trainable = all - statistics;
            }
            rows.add(new LayerSummary(vertex, type, types.get(vertex).getShape(false), trainable, statistics));
        }
        return new ModelSummary(name, input, rows);
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
        if (statisticsParameters() > 0) {
            text.append(String.format(Locale.ROOT,
                    "Batch-norm running statistics: %,d (not trained; PyTorch buffers)%n", statisticsParameters()));
        }
        return text.toString();
    }
}
