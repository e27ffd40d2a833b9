package io.github.moderncnns.architectures;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The notebook's initialisation: {@code xavier_uniform_} weights with PyTorch's fans, PyTorch's default biases. */
class InitialisationTest {
    /** Float32 weights may round just past a double bound. */
    private static final double FLOAT_ROUNDING = 1 + 1e-7;
    private static final ComputationGraph ALEXNET = AlexNet.builder().optSeed(7).build().init();

    private static double maxAbs(INDArray array) {
        return array.amaxNumber().doubleValue();
    }

    @Test
    void convolutionWeightsUsePyTorchsFansNotDl4jsStrideScaledOnes() {
        INDArray w = ALEXNET.getLayer("conv1").getParam("W");
        double pytorchBound = Math.sqrt(6.0 / ((1 + 96) * 121)) * FLOAT_ROUNDING; // 0.02261
        double dl4jBound = Math.sqrt(6.0 / (121 + 96 * 121 / 16.0));      // fan-out divided by stride 4 x 4

        assertThat(w.shape()).containsExactly(96, 1, 11, 11);
        assertThat(maxAbs(w)).isLessThanOrEqualTo(pytorchBound).isGreaterThan(0.98 * pytorchBound);
        assertThat(dl4jBound).isGreaterThan(1.5 * pytorchBound);
        // a uniform distribution on [-a, a] has standard deviation a / sqrt(3)
        assertThat(w.stdNumber().doubleValue()).isCloseTo(pytorchBound / Math.sqrt(3), org.assertj.core.data
                .Percentage.withPercentage(3));
    }

    @Test
    void denseWeightsUseInPlusOut() {
        INDArray w = ALEXNET.getLayer("fc1").getParam("W");

        assertThat(w.shape()).containsExactly(6400, 4096);
        double bound = Math.sqrt(6.0 / (6400 + 4096)) * FLOAT_ROUNDING;
        assertThat(maxAbs(w)).isLessThanOrEqualTo(bound).isGreaterThan(0.99 * bound);
    }

    @Test
    void biasesAreUniformInPlusMinusOneOverRootFanIn() {
        INDArray conv = ALEXNET.getLayer("conv2").getParam("b");
        INDArray dense = ALEXNET.getLayer("output").getParam("b");

        double convBound = 1 / Math.sqrt(96 * 25) * FLOAT_ROUNDING;
        assertThat(maxAbs(conv)).isLessThanOrEqualTo(convBound).isGreaterThan(0.9 * convBound);
        assertThat(maxAbs(dense)).isLessThanOrEqualTo(1 / Math.sqrt(4096)).isGreaterThan(0);
    }

    @Test
    void batchNormStartsAtPyTorchsDefaults() {
        ComputationGraph lenet = BatchNormLeNet.builder().build().init();

        assertThat(lenet.getLayer("bn1").getParam("gamma").toDoubleVector()).containsOnly(1.0);
        assertThat(lenet.getLayer("bn1").getParam("beta").toDoubleVector()).containsOnly(0.0);
        assertThat(lenet.getLayer("bn3").getParam("mean").toDoubleVector()).containsOnly(0.0);
        assertThat(lenet.getLayer("bn3").getParam("log10stdev").toDoubleVector()).containsOnly(0.0); // variance 1
        org.deeplearning4j.nn.conf.layers.BatchNormalization conf =
                (org.deeplearning4j.nn.conf.layers.BatchNormalization) lenet.getLayer("bn2").conf().getLayer();
        assertThat(conf.getEps()).isEqualTo(1e-5);
        assertThat(conf.getDecay()).isEqualTo(0.9); // PyTorch momentum 0.1
    }

    @Test
    void theSameSeedGivesTheSameNetworkAndAnotherSeedAnotherOne() {
        INDArray a = BatchNormLeNet.builder().optSeed(3).build().init().params();
        INDArray b = BatchNormLeNet.builder().optSeed(3).build().init().params();
        INDArray c = BatchNormLeNet.builder().optSeed(4).build().init().params();

        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void theDefaultUpdaterIsPlainSgdAtTheNotebooksRate() {
        assertThat(ALEXNET.getConfiguration().getDefaultConfiguration().getLayer()).isNull();
        org.nd4j.linalg.learning.config.IUpdater updater = ((org.deeplearning4j.nn.conf.layers.BaseLayer) ALEXNET
                .getLayer("conv1").conf().getLayer()).getIUpdater();
        assertThat(updater).isEqualTo(new org.nd4j.linalg.learning.config.Sgd(0.01));
        assertThat(ResNet.builder().notebookLearningRate()).isEqualTo(0.05);
        assertThat(BatchNormLeNet.builder().notebookLearningRate()).isEqualTo(1.0);
    }
}
