package io.github.moderncnns.architectures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The fast CPU path is what ships: on a oneDNN build of ND4J every convolution layer gets DL4J's oneDNN helper,
 * every batch-norm and pooling layer the project's kernel, each keeps it through training, and they compute what
 * DL4J's Java code does.
 */
class LayerHelpersTest {

    /** What the native library says about itself, independent of DL4J's check and of our stand-in. */
    private static boolean buildHasOneDnn() {
        Nd4j.getExecutioner(); // loads the backend
        return NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
    }

    static Stream<Arguments> networks() {
        return Stream.of(Arguments.of("alexnet", 96), Arguments.of("vgg11-small", 64), Arguments.of("lenet-bn", 28),
                Arguments.of("resnet18", 96));
    }

    @Test
    void theBuildForThisPlatformHasOneDnn() {
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            // the POM's host profile picks the -onednn classifier on x86-64
            assertThat(buildHasOneDnn()).as("nd4j-native build info has HAVE_ONEDNN").isTrue();
        }
        LayerHelpers.enable();
        assertThat(LayerHelpers.enabled()).isTrue();
        assertThat(LayerHelpers.oneDnnAvailable()).isEqualTo(buildHasOneDnn());
        assertThat(LayerHelpers.describe()).isEqualTo(buildHasOneDnn() ? "oneDNN layer helpers on"
                : "no oneDNN in this ND4J build: DL4J's Java implementation (slower; see docs/performance.md)");
    }

    /** The library's graphs get the helpers without the JVM-wide switch being left changed behind the user's back. */
    @Test
    void initGivesTheGraphHelpersAndPutsTheSwitchBack() {
        String before = System.getProperty(LayerHelpers.DISABLE_PROPERTY);
        System.clearProperty(LayerHelpers.DISABLE_PROPERTY);
        try {
            ComputationGraph graph = BatchNormLeNet.builder().build().init();

            assertThat(System.getProperty(LayerHelpers.DISABLE_PROPERTY)).isNull();
            assertThat(LayerHelpers.enabled()).as("DL4J's default for graphs the user creates").isFalse();
            if (buildHasOneDnn()) {
                assertThat(LayerHelpers.inUse(graph)).containsKeys("conv1", "pool1", "conv2", "pool2");
                assertThat(LayerHelpers.describe(graph))
                        .isEqualTo("oneDNN layer helpers on (2 layers), Java kernels for batch norm (4 layers) and "
                                + "pooling (2 layers)");
            }
            System.setProperty(LayerHelpers.DISABLE_PROPERTY, "true"); // the user's choice wins
            ComputationGraph plain = BatchNormLeNet.builder().build().init();
            assertThat(LayerHelpers.inUse(plain)).isEmpty();
            assertThat(LayerHelpers.describe(plain)).isEqualTo("DL4J's Java implementation (no layer helpers)");
            assertThat(System.getProperty(LayerHelpers.DISABLE_PROPERTY)).isEqualTo("true");
        } finally {
            if (before == null) {
                System.clearProperty(LayerHelpers.DISABLE_PROPERTY);
            } else {
                System.setProperty(LayerHelpers.DISABLE_PROPERTY, before);
            }
        }
    }

    /** Convolution through oneDNN, batch norm and pooling through the project's kernels, none falling back. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void everyConvPoolAndBatchNormLayerKeepsItsFastPathThroughATrainingStep(String id, int size) throws Exception {
        ComputationGraph graph = NotebookModel.byId(id).builder().optInputSize(size).build().init();
        graph.fit(randomBatch(graph, 2, size, 1));
        graph.output(false, randomBatch(graph, 2, size, 2).getFeatures());

        long expected = Stream.of(graph.getLayers()).filter(LayerHelpersTest::hasHelperSlot).count();
        Map<String, String> inUse = LayerHelpers.inUse(graph);
        if (buildHasOneDnn()) {
            assertThat(expected).isPositive();
            assertThat(inUse).hasSize((int) expected);
            for (Layer layer : graph.getLayers()) {
                if (hasHelperSlot(layer)) {
                    assertThat(inUse.get(layer.getConfig().getLayerName())).isEqualTo(
                            layer instanceof BatchNormalization ? "BatchNormKernel"
                                    : layer instanceof InputConvolutionLayer ? "InputConvolutionHelper"
                                    : layer instanceof ConvolutionLayer ? "MKLDNNConvHelper" : "PoolingKernel");
                    assertThat(helperFailures(layer)).as(layer.getConfig().getLayerName() + " fell back").isZero();
                }
            }
        } else {
            // no oneDNN: convolution takes DL4J's Java code, batch norm and pooling still the kernels
            assertThat(inUse.values()).containsOnly("BatchNormKernel", "PoolingKernel");
        }
    }

    /**
     * oneDNN and the batch-norm kernel compute what DL4J's Java code computes: outputs and loss up to float32
     * rounding, and gradients as close to a float64 reference as the Java code's own float32 gradients are
     * (ResNet-18's first-layer gradients differ by ~0.4 % between any two float32 implementations, as PyTorch's do).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void helpersComputeWhatTheJavaImplementationComputes(String id, int size) {
        if (id.equals("vgg11-small")) {
            return; // the same layer kinds as AlexNet; spares the suite VGG's slow Java backward pass
        }
        // without dropout, whose random masks would differ between the graphs
        CnnBuilder<?> builder = NotebookModel.byId(id).builder().optInputSize(size).optDropout(0);
        Architecture architecture = builder.build();
        ComputationGraph fast = architecture.init();
        ComputationGraph java = LayerHelpers.withoutHelpers(architecture::init);
        ComputationGraph exact = builder.optDataType(DataType.DOUBLE).build().init();
        exact.setParams(fast.params().castTo(DataType.DOUBLE)); // its helpers decline DOUBLE data: Java code
        assertThat(LayerHelpers.inUse(java)).isEmpty();
        DataSet batch = randomBatch(fast, 8, size, 3);

        INDArray fastOut = fast.outputSingle(false, batch.getFeatures());
        INDArray javaOut = java.outputSingle(false, batch.getFeatures());
        assertThat(fastOut.sub(javaOut).amaxNumber().doubleValue()).isLessThan(1e-5);

        for (ComputationGraph graph : new ComputationGraph[] {fast, java, exact}) {
            graph.setInput(0, batch.getFeatures().castTo(graph.params().dataType()));
            graph.setLabels(batch.getLabels().castTo(graph.params().dataType()));
            graph.computeGradientAndScore();
        }
        assertThat(fast.score()).isCloseTo(java.score(), within(1e-5 * java.score()));
        Map<String, INDArray> javaGradients = java.gradient().gradientForVariable();
        Map<String, INDArray> exactGradients = exact.gradient().gradientForVariable();
        fast.gradient().gradientForVariable().forEach((name, gradient) -> {
            INDArray reference = exactGradients.get(name);
            // a conv bias right before batch norm has a zero gradient in exact arithmetic: measure it against its
            // layer's weight gradient instead of its own rounding noise
            String weights = name.substring(0, name.lastIndexOf('_')) + "_W";
            double scale = Math.max(reference.norm2Number().doubleValue(), exactGradients.containsKey(weights)
                    ? exactGradients.get(weights).norm2Number().doubleValue() : 0);
            double fastError = distance(gradient, reference) / scale;
            double javaError = distance(javaGradients.get(name), reference) / scale;
            assertThat(fastError).as(name + " (Java code's error %.2e)", javaError)
                    .isLessThan(Math.max(3 * javaError, 1e-5));
        });
    }

    private static double distance(INDArray float32, INDArray float64) {
        return float32.castTo(DataType.DOUBLE).sub(float64).norm2Number().doubleValue();
    }

    private static boolean hasHelperSlot(Layer layer) {
        return layer instanceof ConvolutionLayer || layer instanceof SubsamplingLayer
                || layer instanceof BatchNormalization;
    }

    /** DL4J counts helper failures in a protected field and then silently uses the Java code. */
    private static int helperFailures(Layer layer) throws ReflectiveOperationException {
        Class<?> type = layer.getClass();
        while (type != null) {
            try {
                Field field = type.getDeclaredField("helperCountFail");
                field.setAccessible(true);
                return field.getInt(layer);
            } catch (NoSuchFieldException e) {
                type = type.getSuperclass();
            }
        }
        throw new AssertionError("no helperCountFail in " + layer.getClass());
    }

    private static DataSet randomBatch(ComputationGraph graph, int batch, int size, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.rand(DataType.FLOAT, batch, 1, size, size);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, (i * 3 + seed) % 10, 1);
        }
        return new DataSet(features, labels);
    }
}
