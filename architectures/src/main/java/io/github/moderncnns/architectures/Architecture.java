package io.github.moderncnns.architectures;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A built network: its DL4J configuration, where each of the notebook's PyTorch tensors lives in it, and the means
 * to get an initialised graph or a summary.
 *
 * <p>{@link #init()} initialises as the notebook does: Xavier-uniform weights (PyTorch fans), biases as PyTorch's
 * default U(-1/sqrt(fan_in), 1/sqrt(fan_in)), batch norm gamma 1, beta 0, running mean 0, running variance 1. A
 * graph made directly from {@link #configuration()} gets DL4J's zero biases instead, the one difference.
 */
public final class Architecture {
    private final String name;
    private final ComputationGraphConfiguration configuration;
    private final InputType inputType;
    private final List<TorchParameter> torchParameters;
    private final long seed;

    Architecture(String name, ComputationGraphConfiguration configuration, InputType inputType,
            List<TorchParameter> torchParameters, long seed) {
        this.name = name;
        this.configuration = configuration;
        this.inputType = inputType;
        this.torchParameters = List.copyOf(torchParameters);
        this.seed = seed;
    }

    /** The network's name, e.g. {@code ResNet-18}. */
    public String name() {
        return name;
    }

    /** The DL4J configuration (a copy: changing it does not change this architecture). */
    public ComputationGraphConfiguration configuration() {
        return configuration.clone();
    }

    /** The input type: {@code [channels, size, size]} images. */
    public InputType inputType() {
        return inputType;
    }

    /** Every tensor of the notebook's PyTorch {@code state_dict} and where it lives in the graph. */
    public List<TorchParameter> torchParameters() {
        return torchParameters;
    }

    /** Layer-by-layer output shapes and parameter counts at this architecture's input size. */
    public ModelSummary summary() {
        return ModelSummary.of(name, configuration, inputType);
    }

    /**
     * A new graph, initialised as the notebook's {@code net.apply(init_weights)} leaves a PyTorch model, on DL4J's
     * fast layer helpers where the backend has them ({@link LayerHelpers#on()}: the JVM-wide switch is put back
     * afterwards).
     *
     * @return the initialised graph
     */
    public ComputationGraph init() {
        ComputationGraph graph = new ComputationGraph(configuration.clone());
        try (LayerHelpers.Scope helpers = LayerHelpers.on()) {
            graph.init();
        }
        initBiasesAsPyTorch(graph);
        return graph;
    }

    /** PyTorch's default bias initialisation, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), reproducible from the seed. */
    private void initBiasesAsPyTorch(ComputationGraph graph) {
        SplittableRandom random = new SplittableRandom(seed);
        for (TorchParameter parameter : torchParameters) {
            if (!parameter.key().equals("b")) {
                continue;
            }
            long[] weightShape = graph.getLayer(parameter.layer()).getParam("W").shape();
            long fanIn = weightShape.length == 4 ? weightShape[1] * weightShape[2] * weightShape[3] : weightShape[0];
            double bound = 1.0 / Math.sqrt(fanIn);
            INDArray bias = graph.getLayer(parameter.layer()).getParam("b");
            double[] values = new double[(int) bias.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextDouble(-bound, bound);
            }
            bias.assign(Nd4j.create(values, bias.shape(), bias.ordering()).castTo(bias.dataType()));
        }
    }

    /**
     * Whether a graph is this network: the same parameter count, and every tensor of {@link #torchParameters()} in
     * the same layer, under the same key, with the same shape. Weights and settings such as the updater may differ.
     * Tells which network a saved model holds (model files do not name it).
     *
     * @param graph an initialised graph
     * @return true if this architecture's PyTorch tensors map one to one onto the graph's parameters
     */
    public boolean fits(ComputationGraph graph) {
        ModelSummary summary = summary();
        if (summary.trainableParameters() + summary.statisticsParameters() != graph.numParams()) {
            return false;
        }
        ComputationGraph same = new ComputationGraph(configuration.clone());
        INDArray parameters = graph.params();
        DataType type = configuration.getDataType();
        same.init(parameters.dataType() == type ? parameters : parameters.castTo(type), false); // no random init
        for (TorchParameter parameter : torchParameters) {
            if (!graph.getConfiguration().getVertices().containsKey(parameter.layer())) {
                return false;
            }
            INDArray theirs = graph.getLayer(parameter.layer()).paramTable().get(parameter.key());
            INDArray mine = same.getLayer(parameter.layer()).getParam(parameter.key());
            if (theirs == null || !Arrays.equals(mine.shape(), theirs.shape())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return name + " " + inputType;
    }
}
