package io.github.moderncnns.architectures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

/**
 * The rows the notebook prints with {@code for layer in net: X = layer(X); print(layer.__class__.__name__, 'output
 * shape:\t', X.shape)}, in its order and with PyTorch's module names, computed from the DL4J configuration (not
 * written down): DL4J fuses an activation into its layer and flattens in a preprocessor, so a convolution with ReLU
 * gives the rows {@code Conv2d} and {@code ReLU} (a batch norm with its fused activation likewise two rows), and the first fully connected layer after a convolutional part adds
 * {@code Flatten}. Where the notebook's network is a sequence of blocks ({@code vgg_block}, ResNet's {@code b1} to
 * {@code b5}), one {@code Sequential} row stands for each block, as in the notebook: DL4J vertices named
 * {@code blockN_...} or {@code stageN_...} form a block, and the vertices before the first block the stem.
 *
 * @param name the network's name
 * @param input the input shape, e.g. {@code [1, 1, 224, 224]}
 * @param rows the printed rows
 */
public record NotebookShapes(String name, long[] input, List<Row> rows) {
    private static final Pattern BLOCK = Pattern.compile("((?:block|stage)\\d+)_.*");
    private static final String STEM = "stem";

    /**
     * One printed row.
     *
     * @param module PyTorch's class name, e.g. {@code Conv2d} or {@code Sequential}
     * @param shape the output shape with the batch dimension of 1, e.g. {@code [1, 96, 54, 54]}
     */
    public record Row(String module, long[] shape) {
        /** @return e.g. {@code [1, 96, 54, 54]} */
        public String shapeText() {
            return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "[", "]"));
        }
    }

    /** Keeps an immutable copy of the rows. */
    public NotebookShapes {
        rows = List.copyOf(rows);
    }

    /**
     * The notebook's printout for a network at the size the notebook prints it: 224x224 (ResNet-18 too, which
     * trains at 96), 28x28 for BN-LeNet (whose shapes the notebook does not print).
     *
     * @param model the network
     * @return its rows
     */
    public static NotebookShapes of(NotebookModel model) {
        int side = model == NotebookModel.LENET_BN ? 28 : 224;
        return of(model.builder().optInputSize(side).build());
    }

    /**
     * @param architecture any network of this module
     * @return its rows in the notebook's terms
     */
    public static NotebookShapes of(Architecture architecture) {
        ComputationGraphConfiguration configuration = architecture.configuration().clone();
        Map<String, InputType> types = configuration.getLayerActivationTypes(true, architecture.inputType());
        List<Row> rows = new ArrayList<>();
        String block = null;
        long[] previous = withBatch(architecture.inputType());
        boolean blocks = configuration.getVertices().keySet().stream().anyMatch(v -> BLOCK.matcher(v).matches());
        for (Map.Entry<String, GraphVertex> entry : configuration.getVertices().entrySet()) {
            String vertex = entry.getKey();
            if (configuration.getNetworkInputs().contains(vertex)) {
                continue;
            }
            long[] shape = withBatch(types.get(vertex));
            Matcher inBlock = BLOCK.matcher(vertex);
            boolean stem = blocks && (block == null || block.equals(STEM)) && shape.length == 4
                    && !(layer(entry.getValue()) instanceof GlobalPoolingLayer);
            String group = inBlock.matches() ? inBlock.group(1) : stem ? STEM : null;
            if (group != null) {
                if (group.equals(block)) {
                    rows.set(rows.size() - 1, new Row("Sequential", shape)); // the block's output so far
                } else {
                    rows.add(new Row("Sequential", shape));
                }
                block = group;
            } else {
                block = blocks ? "after the blocks" : null;
                modules(layer(entry.getValue()), previous, shape, rows);
            }
            previous = shape;
        }
        return new NotebookShapes(architecture.name(), withBatch(architecture.inputType()), rows);
    }

    /** The PyTorch modules one DL4J layer stands for. */
    private static void modules(Layer layer, long[] in, long[] out, List<Row> rows) {
        if (layer instanceof ConvolutionLayer) {
            rows.add(new Row("Conv2d", out));
            activation(layer, out, rows);
        } else if (layer instanceof SubsamplingLayer pool) {
            rows.add(new Row(pool.getPoolingType() == PoolingType.AVG ? "AvgPool2d" : "MaxPool2d", out));
        } else if (layer instanceof GlobalPoolingLayer) {
            rows.add(new Row("AdaptiveAvgPool2d", out));
        } else if (layer instanceof BatchNormalization) {
            rows.add(new Row(out.length == 4 ? "BatchNorm2d" : "BatchNorm1d", out));
            if (layer instanceof FastBatchNormalization fast) {
                activation(fast.fusedActivation().getActivationFunction(), out, rows);
            }
        } else if (layer instanceof ActivationLayer) {
            activation(layer, out, rows);
        } else if (layer instanceof DropoutLayer) {
            rows.add(new Row("Dropout", out));
        } else if (layer instanceof BaseLayer) { // DenseLayer, OutputLayer
            if (in.length > 2) {
                rows.add(new Row("Flatten", new long[] {1, Arrays.stream(in).skip(1).reduce(1, (a, b) -> a * b)}));
            }
            rows.add(new Row("Linear", out));
            activation(layer, out, rows);
        }
    }

    /** A layer's fused activation as the module the notebook writes after it (none for identity and softmax). */
    private static void activation(Layer layer, long[] out, List<Row> rows) {
        activation(layer instanceof ActivationLayer a ? a.getActivationFn() : ((BaseLayer) layer).getActivationFn(),
                out, rows);
    }

    private static void activation(IActivation activation, long[] out, List<Row> rows) {
        if (activation != null && !(activation instanceof ActivationIdentity)
                && !(activation instanceof ActivationSoftmax)) {
            String name = activation.toString().toLowerCase(Locale.ROOT);
            rows.add(new Row(name.startsWith("relu") ? "ReLU" : name.startsWith("sigmoid") ? "Sigmoid"
                    : activation.getClass().getSimpleName(), out));
        }
    }

    private static Layer layer(GraphVertex vertex) {
        return vertex instanceof LayerVertex layerVertex ? layerVertex.getLayerConf().getLayer() : null;
    }

    private static long[] withBatch(InputType type) {
        long[] shape = type.getShape(false);
        long[] all = new long[shape.length + 1];
        all[0] = 1;
        System.arraycopy(shape, 0, all, 1, shape.length);
        return all;
    }

    /** The printout, e.g. {@code Conv2d output shape:     [1, 96, 54, 54]}, one row per line. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "%s in the notebook's terms, for an input of shape %s (for layer in net: X = layer(X); print(...)):%n",
                name, Arrays.stream(input).mapToObj(Long::toString).collect(Collectors.joining(", ", "[", "]"))));
        int width = rows.stream().mapToInt(r -> r.module().length()).max().orElse(0);
        for (Row row : rows) {
            text.append(String.format(Locale.ROOT, "%-" + width + "s output shape:\t %s%n", row.module(),
                    row.shapeText()));
        }
        return text.toString();
    }
}
