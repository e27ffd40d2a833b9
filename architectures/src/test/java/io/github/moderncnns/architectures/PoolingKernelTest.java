package io.github.moderncnns.architectures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The pooling kernel against DL4J's own implementation of the same layer (libnd4j's ops, helpers off): the output
 * and the gradient at the input, to the last bit for max pooling, including the ties ReLU leaves (windows of zeros),
 * where the gradient must go to the same element; and the configurations it leaves to DL4J.
 */
class PoolingKernelTest {
    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    private static SubsamplingLayer.Builder pool(PoolingType type, int kernel, int stride, int padding) {
        return new SubsamplingLayer.Builder(type).kernelSize(kernel, kernel).stride(stride, stride)
                .padding(padding, padding).convolutionMode(ConvolutionMode.Truncate);
    }

    private static Layer layer(SubsamplingLayer conf, DataType type) {
        NeuralNetConfiguration configuration = new NeuralNetConfiguration.Builder().dataType(type).layer(conf).build();
        return conf.instantiate(configuration, null, 0, null, false, type);
    }

    /** After a ReLU, as in every network here: a third of the values are zero, so many windows tie. */
    private static INDArray input(long... shape) {
        Nd4j.getRandom().setSeed(11);
        return Transforms.relu(Nd4j.randn(DataType.FLOAT, shape).subi(0.45), false);
    }

    @ParameterizedTest(name = "{0} {1}x{1} stride {2} padding {3}, input {4}x{5}")
    @CsvSource({
        "MAX, 2, 2, 0, 16, 16", // VGG's pools
        "MAX, 2, 2, 0, 7, 9", // VGG's shape with a row and a column left over
        "MAX, 3, 2, 0, 13, 13", // AlexNet's
        "MAX, 3, 2, 1, 12, 12", // ResNet-18's stem
        "MAX, 3, 1, 1, 5, 6", // overlapping windows, stride 1
        "MAX, 4, 3, 1, 11, 10", // a window width without a special case
        "AVG, 2, 2, 0, 10, 10", // BN-LeNet's
        "AVG, 2, 2, 0, 7, 9", // with a row and a column left over
        "AVG, 3, 2, 0, 9, 8"})
    void computesWhatDl4jsOwnLayerComputes(PoolingType type, int kernel, int stride, int padding, int h, int w) {
        Layer fast;
        try (var helpers = LayerHelpers.on()) {
            fast = layer(new FastSubsampling(pool(type, kernel, stride, padding)), DataType.FLOAT);
        }
        Layer dl4j = LayerHelpers.withoutHelpers(() -> layer(pool(type, kernel, stride, padding).build(),
                DataType.FLOAT));
        assertThat(fast.getHelper()).isInstanceOf(PoolingKernel.class);
        assertThat(dl4j.getHelper()).isNull();
        INDArray x = input(3, 4, h, w);

        fast.setInput(x, NO_WORKSPACES);
        dl4j.setInput(x, NO_WORKSPACES);
        INDArray fastOut = fast.activate(true, NO_WORKSPACES);
        INDArray dl4jOut = dl4j.activate(true, NO_WORKSPACES);
        assertThat(fastOut.shape()).isEqualTo(dl4jOut.shape());
        Nd4j.getRandom().setSeed(12);
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, dl4jOut.shape());
        INDArray fastGrad = fast.backpropGradient(epsilon, NO_WORKSPACES).getSecond();
        INDArray dl4jGrad = dl4j.backpropGradient(epsilon, NO_WORKSPACES).getSecond();

        double tolerance = type == PoolingType.MAX ? 0 : 1e-6; // a max is exact; a mean's additions may reorder
        assertThat(maxDifference(fastOut, dl4jOut)).isLessThanOrEqualTo(tolerance);
        assertThat(maxDifference(fastGrad, dl4jGrad)).isLessThanOrEqualTo(tolerance);
        assertThat(fastGrad.sumNumber().doubleValue()).as("every output's gradient lands once, all of it")
                .isCloseTo(epsilon.sumNumber().doubleValue(), within(1e-4));
    }

    @Test
    void sendsTheGradientToTheFirstMaximumOfAWindowAndLetsANanWin() {
        Layer fast;
        try (var helpers = LayerHelpers.on()) {
            fast = layer(new FastSubsampling(pool(PoolingType.MAX, 2, 2, 0)), DataType.FLOAT);
        }
        INDArray x = Nd4j.createFromArray(new float[] {
            0, 0, 5, 1,
            0, 0, 5, 5,
            2, Float.NaN, 3, 3,
            9, 1, 3, 3}).reshape(1, 1, 4, 4);
        fast.setInput(x, NO_WORKSPACES);
        INDArray out = fast.activate(true, NO_WORKSPACES);
        INDArray grad = fast.backpropGradient(Nd4j.createFromArray(new float[] {1, 2, 3, 4}).reshape(1, 1, 2, 2),
                NO_WORKSPACES).getSecond();

        assertThat(out.reshape(4).toFloatVector()).containsExactly(0, 5, Float.NaN, 3);
        assertThat(grad.reshape(16).toFloatVector()).containsExactly(
                1, 0, 2, 0,
                0, 0, 0, 0,
                0, 3, 4, 0,
                0, 0, 0, 0);
    }

    @Test
    void leavesToDl4jWhatItDoesNotCover() {
        try (var helpers = LayerHelpers.on()) {
            assertThat(PoolingKernel.of(pool(PoolingType.AVG, 2, 2, 1).build())).as("average with padding").isNull();
            assertThat(PoolingKernel.of(pool(PoolingType.PNORM, 2, 2, 0).pnorm(2).build())).isNull();
            assertThat(PoolingKernel.of(pool(PoolingType.MAX, 2, 2, 0).convolutionMode(ConvolutionMode.Same)
                    .build())).as("same mode").isNull();
            assertThat(PoolingKernel.of(pool(PoolingType.MAX, 2, 2, 0).dilation(2, 2).build())).isNull();
            assertThat(PoolingKernel.of(pool(PoolingType.MAX, 2, 2, 0).build())).isNotNull();

            // float64 data: the kernel declines, DL4J's code runs, with the same result
            Layer fast = layer(new FastSubsampling(pool(PoolingType.MAX, 2, 2, 0)), DataType.DOUBLE);
            Layer dl4j = LayerHelpers.withoutHelpers(() -> layer(pool(PoolingType.MAX, 2, 2, 0).build(),
                    DataType.DOUBLE));
            INDArray x = input(2, 3, 6, 6).castTo(DataType.DOUBLE);
            fast.setInput(x, NO_WORKSPACES);
            dl4j.setInput(x, NO_WORKSPACES);
            assertThat(fast.activate(true, NO_WORKSPACES)).isEqualTo(dl4j.activate(true, NO_WORKSPACES));
            INDArray epsilon = Nd4j.ones(DataType.DOUBLE, 2, 3, 3, 3);
            Pair<Gradient, INDArray> fastGrad = fast.backpropGradient(epsilon, NO_WORKSPACES);
            assertThat(fastGrad.getSecond()).isEqualTo(dl4j.backpropGradient(epsilon, NO_WORKSPACES).getSecond());
        }
    }

    @Test
    void withHelpersOffTheLayerIsDl4jsOwn() {
        Layer off = LayerHelpers.withoutHelpers(() -> layer(new FastSubsampling(pool(PoolingType.MAX, 2, 2, 0)),
                DataType.FLOAT));
        assertThat(off.getHelper()).isNull();
        Layer dl4jWithHelpers;
        try (var helpers = LayerHelpers.on()) {
            dl4jWithHelpers = layer(pool(PoolingType.MAX, 2, 2, 0).build(), DataType.FLOAT);
        }
        if (LayerHelpers.oneDnnAvailable()) {
            assertThat(dl4jWithHelpers.getHelper()).isInstanceOf(MKLDNNSubsamplingHelper.class);
        }
    }

    private static double maxDifference(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
