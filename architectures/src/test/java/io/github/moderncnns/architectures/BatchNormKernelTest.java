package io.github.moderncnns.architectures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The batch-norm kernel against DL4J's own Java implementation of the same layer, in float64 (the reference) and
 * float32: training output, the running statistics DL4J derives from the kernel's batch statistics, inference, and
 * every gradient; and what it declines.
 */
class BatchNormKernelTest {
    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    /** One batch-norm layer with gamma and beta set to something other than 1 and 0. */
    private static Layer layer(BatchNormalization conf, int channels, DataType type) {
        conf.setNIn(channels);
        conf.setNOut(channels);
        NeuralNetConfiguration configuration = new NeuralNetConfiguration.Builder().dataType(type).layer(conf).build();
        long count = conf.initializer().numParams(configuration);
        INDArray params = Nd4j.create(type, 1, count);
        Layer layer = conf.instantiate(configuration, null, 0, params, true, type);
        layer.setBackpropGradientsViewArray(Nd4j.create(type, 1, count));
        layer.getParam("gamma").assign(Nd4j.linspace(0.5, 1.5, channels, type).reshape(1, channels));
        layer.getParam("beta").assign(Nd4j.linspace(-0.3, 0.3, channels, type).reshape(1, channels));
        return layer;
    }

    private static Layer kernelLayer(int channels) {
        return kernelLayer(new FastBatchNormalization(), channels);
    }

    private static Layer kernelLayer(FastBatchNormalization conf, int channels) {
        try (var helpers = LayerHelpers.on()) {
            return layer(conf, channels, DataType.FLOAT);
        }
    }

    private static Layer javaLayer(int channels, DataType type) {
        return javaLayer(new FastBatchNormalization(), channels, type);
    }

    private static Layer javaLayer(FastBatchNormalization conf, int channels, DataType type) {
        return LayerHelpers.withoutHelpers(() -> layer(conf, channels, type));
    }

    private static INDArray input(long... shape) {
        Nd4j.getRandom().setSeed(7);
        // a mean far from 0 and a spread far from 1, as after a convolution
        return Nd4j.randn(DataType.DOUBLE, shape).muli(3).addi(5);
    }

    private static double maxDifference(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    @ParameterizedTest(name = "input of rank {0}")
    @ValueSource(ints = {4, 2})
    void trainingStepEqualsDl4jsJavaCodeInFloat64(int rank) {
        long[] shape = rank == 4 ? new long[] {6, 5, 7, 9} : new long[] {40, 12};
        int channels = (int) shape[1];
        INDArray x = input(shape);
        INDArray dy = input(shape).subi(5).divi(3);
        Layer kernel = kernelLayer(channels);
        Layer reference = javaLayer(channels, DataType.DOUBLE);
        Layer java32 = javaLayer(channels, DataType.FLOAT);
        assertThat(kernel.getHelper()).isInstanceOf(BatchNormKernel.class);
        assertThat(reference.getHelper()).isNull();

        INDArray out = forward(kernel, x.castTo(DataType.FLOAT));
        INDArray expected = forward(reference, x);
        INDArray out32 = forward(java32, x.castTo(DataType.FLOAT));
        assertThat(maxDifference(out, expected)).isLessThan(2e-6).isLessThan(2 * maxDifference(out32, expected) + 1e-7);

        Pair<Gradient, INDArray> grads = kernel.backpropGradient(dy.castTo(DataType.FLOAT), NO_WORKSPACES);
        Pair<Gradient, INDArray> expectedGrads = reference.backpropGradient(dy, NO_WORKSPACES);
        assertThat(maxDifference(grads.getSecond(), expectedGrads.getSecond()))
                .as("input gradient").isLessThan(1e-5);
        Map<String, INDArray> got = grads.getFirst().gradientForVariable();
        Map<String, INDArray> want = expectedGrads.getFirst().gradientForVariable();
        assertThat(got.keySet()).isEqualTo(want.keySet()).contains("gamma", "beta", "mean", "log10stdev");
        for (String name : want.keySet()) {
            double scale = Math.max(1, want.get(name).amaxNumber().doubleValue());
            assertThat(maxDifference(got.get(name), want.get(name)) / scale).as(name).isLessThan(1e-5);
        }
    }

    /**
     * Batch norm with a fused activation computes what DL4J's batch norm followed by DL4J's activation layer
     * computes: through the kernel (float32) up to rounding, without it (DL4J's Java code, float64) exactly.
     */
    @ParameterizedTest(name = "{0}, input of rank {1}")
    @CsvSource({"RELU, 4", "SIGMOID, 4", "RELU, 2", "SIGMOID, 2"})
    void aFusedActivationEqualsBatchNormThenDl4jsActivationLayer(Activation activation, int rank) {
        long[] shape = rank == 4 ? new long[] {6, 5, 7, 9} : new long[] {40, 12};
        int channels = (int) shape[1];
        INDArray x = input(shape);
        INDArray dy = input(shape).subi(5).divi(3);
        Layer reference = javaLayer(channels, DataType.DOUBLE);
        INDArray normalized = forward(reference, x);
        IActivation function = activation.getActivationFunction();
        INDArray expected = function.getActivation(normalized.dup(), true);
        Pair<Gradient, INDArray> expectedGrads = reference.backpropGradient(
                function.backprop(normalized.dup(), dy.dup()).getFirst(), NO_WORKSPACES);
        assertThat(maxDifference(expected, normalized)).as("the activation changes something").isGreaterThan(0.1);

        Layer kernel = kernelLayer(new FastBatchNormalization(activation), channels);
        Layer java = javaLayer(new FastBatchNormalization(activation), channels, DataType.DOUBLE);
        assertThat(kernel.getHelper()).isInstanceOf(BatchNormKernel.class);
        assertThat(java.getHelper()).isNull();
        assertThat(maxDifference(forward(kernel, x.castTo(DataType.FLOAT)), expected)).isLessThan(2e-6);
        assertThat(maxDifference(forward(java, x), expected)).isZero();

        Pair<Gradient, INDArray> kernelGrads = kernel.backpropGradient(dy.castTo(DataType.FLOAT), NO_WORKSPACES);
        Pair<Gradient, INDArray> javaGrads = java.backpropGradient(dy.dup(), NO_WORKSPACES);
        assertThat(maxDifference(kernelGrads.getSecond(), expectedGrads.getSecond())).as("input gradient")
                .isLessThan(1e-5);
        assertThat(maxDifference(javaGrads.getSecond(), expectedGrads.getSecond())).isZero();
        for (String name : List.of("gamma", "beta")) {
            INDArray want = expectedGrads.getFirst().getGradientFor(name);
            double scale = Math.max(1, want.amaxNumber().doubleValue());
            assertThat(maxDifference(kernelGrads.getFirst().getGradientFor(name), want) / scale).as(name)
                    .isLessThan(1e-5);
            assertThat(maxDifference(javaGrads.getFirst().getGradientFor(name), want)).as(name).isZero();
        }

        // inference: the running statistics, then the activation
        Layer inferenceReference = javaLayer(channels, DataType.DOUBLE);
        inferenceReference.setInput(x, NO_WORKSPACES);
        INDArray inferred = function.getActivation(inferenceReference.activate(false, NO_WORKSPACES), false);
        kernel.setInput(x.castTo(DataType.FLOAT), NO_WORKSPACES);
        assertThat(maxDifference(kernel.activate(false, NO_WORKSPACES), inferred)).isLessThan(1e-5);
    }

    @Test
    void fusesOnlyWhatItCan() {
        assertThatThrownBy(() -> new FastBatchNormalization(Activation.TANH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batch norm can fuse [RELU, SIGMOID], not TANH");
    }

    @Test
    void inferenceUsesTheRunningStatistics() {
        INDArray x = input(4, 3, 5, 5);
        Layer kernel = kernelLayer(3);
        Layer reference = javaLayer(3, DataType.DOUBLE);
        for (Layer layer : new Layer[] {kernel, reference}) {
            layer.getParam("mean").assign(Nd4j.createFromArray(4.0, 5.0, 6.0).reshape(1, 3));
            layer.getParam("log10stdev").assign(Nd4j.createFromArray(0.5, 0.4, 0.3).reshape(1, 3));
        }
        kernel.setInput(x.castTo(DataType.FLOAT), NO_WORKSPACES);
        reference.setInput(x, NO_WORKSPACES);
        INDArray out = kernel.activate(false, NO_WORKSPACES);
        assertThat(maxDifference(out, reference.activate(false, NO_WORKSPACES))).isLessThan(1e-5);
    }

    @Test
    void aViewAsInputGivesWhatItsCopyGives() {
        INDArray big = input(4, 6, 8, 8).castTo(DataType.FLOAT);
        INDArray view = big.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 4), NDArrayIndex.all(),
                NDArrayIndex.all());
        Layer a = kernelLayer(3);
        Layer b = kernelLayer(3);
        assertThat(maxDifference(forward(a, view), forward(b, view.dup('c')))).isZero();
    }

    @Test
    void declinesWhatItDoesNotCover() {
        BatchNormKernel kernel = new BatchNormKernel(Activation.IDENTITY);
        INDArray gamma = Nd4j.ones(DataType.FLOAT, 3);
        assertThat(kernel.preOutput(Nd4j.ones(DataType.DOUBLE, 2, 3, 4, 4), true, null, gamma.castTo(DataType.DOUBLE),
                gamma.castTo(DataType.DOUBLE), null, null, 0.9, 1e-5, CNN2DFormat.NCHW, NO_WORKSPACES)).isNull();
        assertThat(kernel.preOutput(Nd4j.ones(DataType.FLOAT, 2, 4, 4, 3), true, null, gamma, gamma, null, null,
                0.9, 1e-5, CNN2DFormat.NHWC, NO_WORKSPACES)).isNull();
        assertThat(kernel.checkSupported(1e-5, true)).as("fixed gamma and beta").isFalse();
        assertThat(kernel.backpropGradient(Nd4j.ones(DataType.FLOAT, 2, 3, 4, 4), Nd4j.ones(DataType.FLOAT, 2, 3, 4, 4),
                null, gamma, gamma, gamma.dup(), gamma.dup(), 1e-5, CNN2DFormat.NCHW, NO_WORKSPACES))
                .as("backprop before any training forward pass").isNull();
    }

    @Test
    void helpersOffMeansDl4jsOwnLayer() {
        assertThat(javaLayer(3, DataType.FLOAT).getHelper()).isNull();
    }

    /** Saved configurations name the layer class; loading one gives the kernel back, with PyTorch's settings. */
    @Test
    void theConfigurationSurvivesJson() {
        ComputationGraph graph = BatchNormLeNet.builder().build().init();
        String json = graph.getConfiguration().toJson();
        assertThat(json).contains(FastBatchNormalization.class.getName());
        ComputationGraphConfiguration loaded = ComputationGraphConfiguration.fromJson(json);
        BatchNormalization bn = (BatchNormalization) ((LayerVertex) loaded.getVertices().get("bn1")).getLayerConf()
                .getLayer();
        assertThat(bn).isInstanceOf(FastBatchNormalization.class);
        assertThat(bn.getEps()).isEqualTo(1e-5);
        assertThat(bn.getDecay()).isEqualTo(0.9);
        assertThat(bn.isUseLogStd()).isTrue();
        ComputationGraph again;
        try (var helpers = LayerHelpers.on()) {
            again = new ComputationGraph(loaded);
            again.init();
        }
        assertThat(again.getLayer("bn1").getHelper()).isInstanceOf(BatchNormKernel.class);
        assertThat(((FastBatchNormalization) bn).fusedActivation()).isEqualTo(Activation.SIGMOID);
        assertThat(loaded).isEqualTo(graph.getConfiguration());
    }

    /** Files saved before the activation was fused have no such field: their batch norm stays without one. */
    @Test
    void aConfigurationWithoutTheFieldHasNoFusedActivation() {
        String json = ResNet.builder().build().configuration().toJson();
        assertThat(json).containsPattern("\"fusedActivation\"\\s*:\\s*\"RELU\"");
        String old = json.replaceAll("\"fusedActivation\"\\s*:\\s*\"RELU\"\\s*,", "");
        assertThat(old).doesNotContain("fusedActivation");
        BatchNormalization bn = (BatchNormalization) ((LayerVertex) ComputationGraphConfiguration.fromJson(old)
                .getVertices().get("bn1")).getLayerConf().getLayer();
        assertThat(((FastBatchNormalization) bn).fusedActivation()).isEqualTo(Activation.IDENTITY);
    }

    /** For model files that load without this library: DL4J's own layer, the same parameters. */
    @Test
    void theBuilderCanAskForDl4jsOwnLayer() {
        ComputationGraph graph = BatchNormLeNet.builder().optFastLayers(false).build().init();

        assertThat(graph.getConfiguration().toJson()).doesNotContain(FastBatchNormalization.class.getName());
        assertThat(graph.getLayer("bn1").getClass())
                .isEqualTo(org.deeplearning4j.nn.layers.normalization.BatchNormalization.class);
        assertThat(graph.params()).isEqualTo(BatchNormLeNet.builder().build().init().params());
    }

    private static INDArray forward(Layer layer, INDArray x) {
        layer.setInput(x, NO_WORKSPACES);
        return layer.activate(true, NO_WORKSPACES);
    }
}
