// Issue 14's SameDiff lever, measured: the notebook's BN-LeNet built as a SameDiff graph (training-mode batch norm
// from the batch's moments, sigmoid, average pooling, SGD lr 1.0, softmax cross-entropy) against the project's DL4J
// ComputationGraph of the same network, alternating their training steps in one JVM on the same random batch (this
// machine's speed swings too much for two separate runs to compare). Run on an idle machine, after building the jar:
//
//   . tools/jemalloc.sh; java -cp cli/target/cli.jar tools/samediff/SameDiffLeNet.java [STEPS] [BATCH]
//
// Not part of the library: it exists to say what SameDiff would bring (docs/performance.md, levers table).
import io.github.moderncnns.architectures.NotebookModel;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.weightinit.impl.XavierInitScheme;

public class SameDiffLeNet {
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        Nd4j.getRandom().setSeed(42);
        DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, batch, 1, 28, 28),
                Nd4j.eye(10).castTo(DataType.FLOAT).repeat(0, (batch + 9) / 10).get(
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, batch)));
        SameDiff sd = lenet();
        ComputationGraph dl4j = NotebookModel.LENET_BN.builder().build().init();
        double before = loss(sd, data);
        for (int i = 0; i < 10; i++) {
            sd.fit(data);
            dl4j.fit(data);
        }
        System.out.printf(Locale.ROOT, "SameDiff's loss on the batch: %.3f before, %.3f after 10 warm-up steps "
                + "(it learns)%n", before, loss(sd, data));
        long sdNanos = 0;
        long dl4jNanos = 0;
        for (int i = 0; i < steps; i++) {
            long start = System.nanoTime();
            sd.fit(data);
            long middle = System.nanoTime();
            dl4j.fit(data);
            sdNanos += middle - start;
            dl4jNanos += System.nanoTime() - middle;
        }
        double images = (double) batch * steps * 1e9;
        System.out.printf(Locale.ROOT, "BN-LeNet, batch %d, %d alternating training steps each, %d threads:%n"
                + "  SameDiff graph         %,8.0f images/s%n  DL4J ComputationGraph  %,8.0f images/s%n"
                + "  SameDiff / DL4J        %.2f%n", batch, steps, Runtime.getRuntime().availableProcessors(),
                images / sdNanos, images / dl4jNanos, dl4jNanos / (double) sdNanos);
    }

    private static double loss(SameDiff sd, DataSet data) {
        return sd.output(java.util.Map.of("x", data.getFeatures(), "y", data.getLabels()), "loss").get("loss")
                .getDouble(0);
    }

    /** The notebook's BN-LeNet (its section on batch normalization) as a SameDiff graph. */
    static SameDiff lenet() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 1, 28, 28);
        SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, 10);
        SDVariable h = conv(sd, "c1", x, 1, 6);                      // 6 x 24 x 24
        h = pool(sd, sd.nn().sigmoid(batchNorm(sd, "b1", h, 6, new int[] {0, 2, 3})));
        h = conv(sd, "c2", h, 6, 16);                                // 16 x 8 x 8
        h = pool(sd, sd.nn().sigmoid(batchNorm(sd, "b2", h, 16, new int[] {0, 2, 3})));
        h = h.reshape(-1, 256);
        h = sd.nn().sigmoid(batchNorm(sd, "b3", dense(sd, "d1", h, 256, 120), 120, new int[] {0}));
        h = sd.nn().sigmoid(batchNorm(sd, "b4", dense(sd, "d2", h, 120, 84), 84, new int[] {0}));
        SDVariable logits = dense(sd, "d3", h, 84, 10);
        sd.loss().softmaxCrossEntropy("loss", y, logits, null);
        sd.setLossVariables("loss");
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Sgd(1.0)).dataSetFeatureMapping("x")
                .dataSetLabelMapping("y").build());
        return sd;
    }

    private static SDVariable conv(SameDiff sd, String name, SDVariable in, int inChannels, int outChannels) {
        SDVariable w = sd.var(name + "_W", new XavierInitScheme('c', inChannels * 25, outChannels * 25),
                DataType.FLOAT, 5, 5, inChannels, outChannels);
        SDVariable b = sd.zero(name + "_b", DataType.FLOAT, outChannels).convertToVariable();
        return sd.cnn().conv2d(in, w, b, Conv2DConfig.builder().kH(5).kW(5).dataFormat("NCHW").build());
    }

    private static SDVariable pool(SameDiff sd, SDVariable in) {
        return sd.cnn().avgPooling2d(in, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).isNHWC(false).build());
    }

    private static SDVariable dense(SameDiff sd, String name, SDVariable in, int nIn, int nOut) {
        SDVariable w = sd.var(name + "_W", new XavierInitScheme('c', nIn, nOut), DataType.FLOAT, nIn, nOut);
        SDVariable b = sd.zero(name + "_b", DataType.FLOAT, 1, nOut).convertToVariable();
        return in.mmul(w).add(b);
    }

    /** Training-mode batch norm from the batch's own mean and variance (what the notebook's BatchNorm does). */
    private static SDVariable batchNorm(SameDiff sd, String name, SDVariable in, int channels, int[] axes) {
        long[] shape = axes.length == 3 ? new long[] {1, channels, 1, 1} : new long[] {1, channels};
        SDVariable gamma = sd.var(name + "_gamma", Nd4j.ones(DataType.FLOAT, shape));
        SDVariable beta = sd.var(name + "_beta", Nd4j.zeros(DataType.FLOAT, shape));
        SDVariable[] moments = sd.math().moments(in, axes, true);
        SDVariable normalized = in.sub(moments[0]).mul(sd.math().rsqrt(moments[1].add(1e-5)));
        return normalized.mul(gamma).add(beta);
    }
}
