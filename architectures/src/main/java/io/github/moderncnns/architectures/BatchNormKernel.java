package io.github.moderncnns.architectures;

import static io.github.moderncnns.architectures.KernelArrays.contiguous;
import static io.github.moderncnns.architectures.KernelArrays.floats;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalization of float32 NCHW activations in plain Java loops, parallel over channels: the batch mean and
 * variance in one pass over the input, the normalization in a second; the backward pass in two. Why: DL4J
 * 1.0.0-M2.1's oneDNN helper computes the batch statistics with generic ND4J reductions before calling oneDNN, and in
 * backprop completes oneDNN's partial input gradient with eight more whole-array ND4J operations on temporary
 * arrays; batch norm was 30 % of a ResNet-18 training step that way (docs/performance.md).
 *
 * <p>A DL4J {@link BatchNormalizationHelper}, installed by {@link FastBatchNormalizationLayer}, so DL4J's layer keeps
 * everything else (parameters, the running statistics, serialization). It declines (returns null, and DL4J then runs
 * its Java implementation) what it does not cover: other data types, NHWC, and fixed gamma and beta. The statistics
 * are accumulated in double, so the variance's one-pass formula loses nothing to cancellation at float32 inputs.
 *
 * <p>A training pass also applies the layer's fused activation ({@link FastBatchNormalization#fusedActivation()}):
 * ReLU inside the normalization loop, sigmoid with one in-place ND4J op (faster than {@code Math.exp} per element),
 * and in backprop both as a factor on the incoming gradient, computed from the activated output, inside the two
 * passes. Inference normalizes with the running statistics in the same loop, the activation fused the same way.
 */
final class BatchNormKernel implements BatchNormalizationHelper {
    /** Below this many elements one thread does the work: forking costs more than it saves (BN-LeNet's layers). */
    private static final long PARALLEL_ELEMENTS = 1 << 15;

    private final Activation fused;
    private INDArray meanCache;
    private INDArray varCache;
    private float[] batchMean;
    private float[] batchInvStd;
    /** The last training pass's activated output, for the activation's derivative in backprop. */
    private INDArray activated;
    private boolean activationApplied;

    /** @param fused the activation a training pass applies after normalizing ({@link Activation#IDENTITY}: none) */
    BatchNormKernel(Activation fused) {
        this.fused = fused;
    }

    /**
     * Whether the last forward pass was done here, fused activation included (then a training pass's backprop is
     * done here too); asking resets the answer.
     */
    boolean appliedActivation() {
        boolean took = activationApplied;
        activationApplied = false;
        return took;
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return !fixedGammaBeta;
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Map.of();
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return meanCache;
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return varCache;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta,
            INDArray mean, INDArray var, double decay, double eps, CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        activationApplied = false;
        activated = null;
        if (!covers(x, format) || gamma == null || beta == null) {
            batchMean = null;
            return null;
        }
        x = contiguous(x);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, x.shape(), 'c');
        float[] g = values(gamma);
        float[] center;
        float[] scale = new float[g.length];
        float[] shift = values(beta);
        if (training) {
            batchStatistics(x, eps);
            center = batchMean;
            for (int c = 0; c < g.length; c++) {
                scale[c] = g[c] * batchInvStd[c];
            }
        } else {
            center = values(mean);
            float[] variance = values(var);
            for (int c = 0; c < g.length; c++) {
                scale[c] = (float) (g[c] / Math.sqrt(variance[c] + eps));
            }
        }
        normalize(x, center, scale, shift, out);
        if (fused == Activation.SIGMOID) {
            Transforms.sigmoid(out, false);
        }
        activated = training && fused != Activation.IDENTITY ? out : null;
        activationApplied = true;
        return out;
    }

    /**
     * {@code (x - center) * scale + shift} per channel, then the fused ReLU: with the batch's statistics in training,
     * the running ones in inference. A plain loop rather than the ND4J op DL4J's helper calls: ResNet-18's training
     * step (batch 128 at 96x96, 2026-12-02) gained 20 % over DL4J's helper with this loop and 8-13 % with the op
     * instead (one pair of runs each on a noisy machine); in inference one pass instead of the op's and the ReLU's.
     */
    private void normalize(INDArray x, float[] center, float[] scale, float[] shift, INDArray out) {
        Layout layout = new Layout(x);
        FloatBuffer in = floats(x);
        FloatBuffer result = floats(out);
        boolean relu = fused == Activation.RELU;
        layout.forEachChannel(c -> {
            float[] plane = new float[layout.plane];
            float m = center[c];
            float k = scale[c];
            float b = shift[c];
            for (int n = 0; n < layout.batch; n++) {
                int start = layout.start(n, c);
                in.get(start, plane, 0, layout.plane);
                for (int i = 0; i < plane.length; i++) {
                    plane[i] = (plane[i] - m) * k + b;
                }
                if (relu) {
                    for (int i = 0; i < plane.length; i++) {
                        plane[i] = Math.max(plane[i], 0f);
                    }
                }
                result.put(start, plane, 0, layout.plane);
            }
        });
    }

    /** One pass over the input: each channel's mean and (biased) variance, as DL4J's running statistics want them. */
    private void batchStatistics(INDArray x, double eps) {
        Layout layout = new Layout(x);
        FloatBuffer in = floats(x);
        float[] center = new float[layout.channels];
        float[] variance = new float[layout.channels];
        float[] invStd = new float[layout.channels];
        layout.forEachChannel(c -> {
            float[] plane = new float[layout.plane];
            // four partial sums each: the additions of one chain wait for each other, of four chains do not
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            double q0 = 0, q1 = 0, q2 = 0, q3 = 0;
            int quads = layout.plane & ~3;
            for (int n = 0; n < layout.batch; n++) {
                in.get(layout.start(n, c), plane, 0, layout.plane);
                int i = 0;
                for (; i < quads; i += 4) {
                    double a = plane[i], b = plane[i + 1], d = plane[i + 2], e = plane[i + 3];
                    s0 += a; s1 += b; s2 += d; s3 += e;
                    q0 += a * a; q1 += b * b; q2 += d * d; q3 += e * e;
                }
                for (; i < layout.plane; i++) {
                    double a = plane[i];
                    s0 += a;
                    q0 += a * a;
                }
            }
            double m = (s0 + s1 + s2 + s3) / layout.perChannel;
            double v = Math.max((q0 + q1 + q2 + q3) / layout.perChannel - m * m, 0);
            center[c] = (float) m;
            variance[c] = (float) v;
            invStd[c] = (float) (1 / Math.sqrt(v + eps));
        });
        remember(center, variance, invStd);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
            INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps, CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        if (!covers(input, format) || gamma == null || dGammaView == null || batchMean == null
                || batchMean.length != input.size(1)) {
            if (activated != null) {
                throw new IllegalStateException("the batch-norm kernel activated the output but cannot backprop");
            }
            return null;
        }
        Layout layout = new Layout(input);
        FloatBuffer x = floats(contiguous(input));
        FloatBuffer dy = floats(contiguous(epsilon));
        if (fused != Activation.IDENTITY && activated == null) {
            throw new IllegalStateException("batch-norm backprop without a training pass through the kernel");
        }
        FloatBuffer y = fused == Activation.IDENTITY ? null : floats(activated);
        float[] g = values(gamma);
        float[] dGamma = new float[layout.channels];
        float[] dBeta = new float[layout.channels];
        INDArray epsAtInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                input.shape(), 'c');
        FloatBuffer dx = floats(epsAtInput);
        layout.forEachChannel(c -> {
            float[] xs = new float[layout.plane];
            float[] dys = new float[layout.plane];
            float[] ys = y == null ? null : new float[layout.plane];
            float m = batchMean[c];
            double g0 = 0, g1 = 0, p0 = 0, p1 = 0; // two chains each, as in batchStatistics
            int pairs = layout.plane & ~1;
            for (int n = 0; n < layout.batch; n++) {
                int start = layout.start(n, c);
                x.get(start, xs, 0, layout.plane);
                dy.get(start, dys, 0, layout.plane);
                throughActivation(dys, y, ys, start);
                int i = 0;
                for (; i < pairs; i += 2) {
                    double a = dys[i], b = dys[i + 1];
                    g0 += a;
                    g1 += b;
                    p0 += a * (xs[i] - m);
                    p1 += b * (xs[i + 1] - m);
                }
                if (i < layout.plane) {
                    g0 += dys[i];
                    p0 += (double) dys[i] * (xs[i] - m);
                }
            }
            double sumDy = g0 + g1;
            double sumDyCentered = p0 + p1;
            float invStd = batchInvStd[c];
            dBeta[c] = (float) sumDy;
            dGamma[c] = (float) (sumDyCentered * invStd);
            // dx = gamma / std * (dy - mean(dy) - xHat * mean(dy * xHat))
            float scale = g[c] * invStd;
            float meanDy = (float) (sumDy / layout.perChannel);
            float slope = (float) (sumDyCentered / layout.perChannel * invStd * invStd);
            for (int n = 0; n < layout.batch; n++) {
                int start = layout.start(n, c);
                x.get(start, xs, 0, layout.plane);
                dy.get(start, dys, 0, layout.plane);
                throughActivation(dys, y, ys, start);
                for (int i = 0; i < xs.length; i++) {
                    dys[i] = scale * (dys[i] - meanDy - (xs[i] - m) * slope);
                }
                dx.put(start, dys, 0, layout.plane);
            }
        });
        dGammaView.assign(Nd4j.createFromArray(dGamma).reshape(dGammaView.shape()));
        dBetaView.assign(Nd4j.createFromArray(dBeta).reshape(dBetaView.shape()));
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(gradient, epsAtInput);
    }

    /**
     * Turns the gradient at the activation's output into the gradient at its input, in place: the derivative from
     * the activated output {@code y} (ReLU: 1 where y > 0, sigmoid: y (1 - y)). Twice per backprop, as the
     * gradient is read twice: cheaper than writing it out once more.
     *
     * <p>ReLU's derivative without a branch: {@code min(y * 1e30 * 1e30, 1)} is 0 for y = 0 and 1 for any y > 0
     * (the smallest positive float, 1.4e-45, becomes 1.4e15). A branch on the sign, taken at random half the time,
     * made ResNet-18's batch-norm backprop 2.7x slower (async-profiler, 2026-12-02); {@code Math.min} compiles to
     * vector instructions.
     */
    private void throughActivation(float[] dys, FloatBuffer y, float[] ys, int start) {
        if (y == null) {
            return;
        }
        y.get(start, ys, 0, ys.length);
        if (fused == Activation.RELU) {
            for (int i = 0; i < ys.length; i++) {
                dys[i] *= Math.min(ys[i] * 1e30f * 1e30f, 1f);
            }
        } else {
            for (int i = 0; i < ys.length; i++) {
                dys[i] *= ys[i] * (1 - ys[i]);
            }
        }
    }

    private static boolean covers(INDArray x, CNN2DFormat format) {
        // DL4J hands rank-2 (dense) input over as [N, C, 1, 1]
        return x.dataType() == DataType.FLOAT && x.rank() == 4 && format == CNN2DFormat.NCHW
                && x.length() <= Integer.MAX_VALUE;
    }

    /** Keeps the batch statistics for backprop, and for DL4J, which moves its running statistics towards them. */
    private void remember(float[] mean, float[] variance, float[] invStd) {
        if (meanCache == null || meanCache.length() != mean.length) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                meanCache = Nd4j.createUninitialized(DataType.FLOAT, mean.length);
                varCache = Nd4j.createUninitialized(DataType.FLOAT, mean.length);
            }
        }
        floats(meanCache).put(0, mean);
        floats(varCache).put(0, variance);
        batchMean = mean;
        batchInvStd = invStd;
    }


    private static float[] values(INDArray vector) {
        return vector.castTo(DataType.FLOAT).reshape(vector.length()).toFloatVector();
    }

    /** Where each (example, channel) plane of an NCHW array starts. */
    private static final class Layout {
        final int batch;
        final int channels;
        final int plane;
        final long perChannel;
        private final boolean parallel;

        Layout(INDArray x) {
            batch = (int) x.size(0);
            channels = (int) x.size(1);
            plane = (int) (x.size(2) * x.size(3));
            perChannel = (long) batch * plane;
            parallel = x.length() >= PARALLEL_ELEMENTS && channels > 1 && LayerHelpers.kernelsMayUseThreads();
        }

        int start(int n, int c) {
            return (n * channels + c) * plane;
        }

        void forEachChannel(IntConsumer body) {
            if (parallel) {
                IntStream.range(0, channels).parallel().forEach(body);
            } else {
                for (int c = 0; c < channels; c++) {
                    body.accept(c);
                }
            }
        }
    }
}
