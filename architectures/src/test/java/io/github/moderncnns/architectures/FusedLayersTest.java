package io.github.moderncnns.architectures;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The project's fused layers (batch norm with the activation after it, a residual block's sum with its ReLU) compute
 * what the same network of DL4J's classes only computes: the same vertices, fewer of them, the same parameters, the
 * same outputs and gradients, in float64 with DL4J's Java code on both sides (float32 through the kernel:
 * {@link LayerHelpersTest}).
 */
class FusedLayersTest {

    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({"lenet-bn, 28", "resnet18, 32"})
    void fusedLayersComputeWhatDl4jsClassesCompute(String id, int size) {
        DataType type = DataType.DOUBLE;
        CnnBuilder<?> builder = NotebookModel.byId(id).builder().optInputSize(size).optDataType(type);
        Architecture fusedArchitecture = builder.build();
        Architecture plainArchitecture = builder.optFastLayers(false).build();
        ComputationGraph fused = LayerHelpers.withoutHelpers(fusedArchitecture::init);
        ComputationGraph plain = LayerHelpers.withoutHelpers(plainArchitecture::init);

        assertThat(plain.getConfiguration().getVertices()).hasSizeGreaterThan(fused.getConfiguration().getVertices()
                .size());
        assertThat(plain.getConfiguration().toJson()).doesNotContain(FastBatchNormalization.class.getName(),
                ResidualAddRelu.class.getName());
        assertThat(plain.numParams()).isEqualTo(fused.numParams());
        for (org.deeplearning4j.nn.api.Layer layer : fused.getLayers()) {
            plain.getLayer(layer.getConfig().getLayerName()).setParams(layer.params());
        }

        Nd4j.getRandom().setSeed(11);
        INDArray features = Nd4j.rand(type, 4, 1, size, size);
        INDArray labels = Nd4j.zeros(type, 4, 10);
        for (int i = 0; i < 4; i++) {
            labels.putScalar(i, (3 * i + 1) % 10, 1);
        }
        double tolerance = 1e-12;
        assertThat(relative(fused.outputSingle(false, features), plain.outputSingle(false, features)))
                .as("inference").isLessThan(tolerance);
        for (ComputationGraph graph : new ComputationGraph[] {fused, plain}) {
            graph.setInput(0, features);
            graph.setLabels(labels);
            graph.computeGradientAndScore();
        }
        assertThat(fused.score()).isCloseTo(plain.score(), org.assertj.core.api.Assertions.within(
                tolerance * plain.score()));
        Map<String, INDArray> plainGradients = plain.gradient().gradientForVariable();
        fused.gradient().gradientForVariable().forEach((name, gradient) -> assertThat(
                relative(gradient, plainGradients.get(name))).as(name).isLessThan(tolerance));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"stage3_block1", "stage2_block2"})
    void aResidualBlockEndsInOneVertexOrInDl4jsTwo(String block) {
        var fused = ResNet.builder().build().configuration().getVertices();
        var plain = ResNet.builder().optFastLayers(false).build().configuration().getVertices();

        assertThat(fused.get(block + "_relu")).isInstanceOf(ResidualAddRelu.class);
        assertThat(fused).doesNotContainKeys(block + "_add", block + "_relu1");
        assertThat(plain.get(block + "_add")).isInstanceOf(ElementWiseVertex.class);
        assertThat(((LayerVertex) plain.get(block + "_relu")).getLayerConf().getLayer())
                .isInstanceOf(ActivationLayer.class);
        assertThat(((LayerVertex) plain.get(block + "_relu1")).getLayerConf().getLayer())
                .isInstanceOf(ActivationLayer.class);
    }

    /** The largest difference relative to the largest value, so a gradient of tiny values is not held to 1e-12. */
    private static double relative(INDArray a, INDArray b) {
        double scale = Math.max(b.amaxNumber().doubleValue(), 1e-30);
        return a.sub(b).amaxNumber().doubleValue() / scale;
    }
}
