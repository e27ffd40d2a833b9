package io.github.moderncnns.architectures;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The first convolution without the input gradient: its weights' and bias's gradients are DL4J's own (helpers off,
 * float32), it hands back no input gradient, every network starts with it, and where it does not pay (BN-LeNet's
 * small images) it is oneDNN's backward pass, input gradient included.
 */
class InputConvolutionTest {
    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    private static ConvolutionLayer.Builder conv(int kernel, int stride, int padding, int outputs,
            Activation activation) {
        return new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).padding(padding, padding)
                .convolutionMode(ConvolutionMode.Truncate).nIn(1).nOut(outputs).activation(activation);
    }

    private static Layer layer(ConvolutionLayer conf) {
        NeuralNetConfiguration configuration = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .seed(5).layer(conf).build();
        long parameters = conf.initializer().numParams(configuration);
        Layer layer = conf.instantiate(configuration, null, 0, Nd4j.create(DataType.FLOAT, 1, parameters), true,
                DataType.FLOAT);
        layer.setBackpropGradientsViewArray(Nd4j.create(DataType.FLOAT, 1, parameters));
        return layer;
    }

    @ParameterizedTest(name = "{0}x{0} stride {1} padding {2}, input {3}x{3}, {5}")
    @CsvSource({
        "7, 2, 3, 96, 8, IDENTITY", // ResNet-18's stem at the notebook's 96x96
        "11, 4, 1, 120, 6, RELU", // AlexNet's first layer
        "3, 1, 1, 96, 4, RELU"}) // VGG's first layer
    void computesDl4jsWeightAndBiasGradientsAndNoInputGradient(int kernel, int stride, int padding, int size,
            int outputs, Activation activation) {
        Layer fast;
        try (var helpers = LayerHelpers.on()) {
            fast = layer(new InputConvolution(conv(kernel, stride, padding, outputs, activation)));
        }
        Layer dl4j = LayerHelpers.withoutHelpers(() -> layer(conv(kernel, stride, padding, outputs, activation)
                .build()));
        assertThat(fast.getHelper()).isInstanceOf(InputConvolutionHelper.class);
        assertThat(dl4j.getHelper()).isNull();
        dl4j.setParams(fast.params().dup());
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 1, size, size);
        fast.setInput(x, NO_WORKSPACES);
        dl4j.setInput(x, NO_WORKSPACES);
        INDArray out = fast.activate(true, NO_WORKSPACES);
        dl4j.activate(true, NO_WORKSPACES);
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, out.shape());

        Pair<Gradient, INDArray> fastGrads = fast.backpropGradient(epsilon.dup(), NO_WORKSPACES);
        Pair<Gradient, INDArray> dl4jGrads = dl4j.backpropGradient(epsilon.dup(), NO_WORKSPACES);

        assertThat(fastGrads.getSecond()).as("no gradient at the network's input").isNull();
        assertThat(dl4jGrads.getSecond()).isNotNull();
        for (String name : new String[] {"W", "b"}) {
            INDArray expected = dl4jGrads.getFirst().getGradientFor(name);
            INDArray actual = fastGrads.getFirst().getGradientFor(name);
            assertThat(actual.shape()).isEqualTo(expected.shape());
            double relative = actual.sub(expected).norm2Number().doubleValue()
                    / expected.norm2Number().doubleValue();
            assertThat(relative).as(name).isLessThan(1e-5);
        }
    }

    @Test
    void smallImagesKeepOneDnnsBackwardPassWithTheInputGradient() {
        Layer fast;
        try (var helpers = LayerHelpers.on()) {
            fast = layer(new InputConvolution(conv(5, 1, 0, 6, Activation.IDENTITY))); // BN-LeNet's first layer
        }
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28);
        fast.setInput(x, NO_WORKSPACES);
        INDArray out = fast.activate(true, NO_WORKSPACES);
        INDArray gradient = fast.backpropGradient(Nd4j.ones(DataType.FLOAT, out.shape()), NO_WORKSPACES).getSecond();

        assertThat(gradient).isNotNull();
        assertThat(gradient.shape()).isEqualTo(x.shape());
    }

    @ParameterizedTest
    @ValueSource(strings = {"alexnet", "vgg11-small", "lenet-bn", "resnet18"})
    void everyNetworkStartsWithItUnlessAskedForDl4jsClasses(String id) {
        ComputationGraph fast = NotebookModel.byId(id).builder().build().init();
        ComputationGraph plain = NotebookModel.byId(id).builder().optFastLayers(false).build().init();

        String first = firstLayer(fast);
        assertThat(fast.getLayer(first)).isInstanceOf(InputConvolutionLayer.class);
        assertThat(fast.getLayers()).filteredOn(InputConvolutionLayer.class::isInstance).hasSize(1);
        assertThat(plain.getLayers()).noneMatch(InputConvolutionLayer.class::isInstance);
        assertThat(plain.getLayer(first).getHelper()).isInstanceOf(MKLDNNConvHelper.class);
    }

    /** The layer that reads the network's input. */
    private static String firstLayer(ComputationGraph graph) {
        var conf = graph.getConfiguration();
        return conf.getVertexInputs().entrySet().stream()
                .filter(vertex -> vertex.getValue().equals(conf.getNetworkInputs())).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
    }
}
