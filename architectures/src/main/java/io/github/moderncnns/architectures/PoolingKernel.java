package io.github.moderncnns.architectures;

import static io.github.moderncnns.architectures.KernelArrays.contiguous;
import static io.github.moderncnns.architectures.KernelArrays.floats;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max and average pooling of float32 NCHW activations in plain Java loops, parallel over (example, channel) planes,
 * forward and backward. Why: DL4J 1.0.0-M2.1 runs pooling through libnd4j's {@code maxpool2d_bp}, whose oneDNN
 * version repeats the forward pass to learn where the maxima were and reorders the arrays to oneDNN's blocked layout
 * and back, on every call; for the small VGG-11 at 224x224 max pooling was 19 % of a training step
 * (docs/performance.md). Here backprop finds each window's maximum again in the input, which the layer keeps anyway:
 * no state between the passes, and one read of the input and one write of the input's gradient.
 *
 * <p>The arithmetic is PyTorch's: a max-pooling window ignores padding, and its gradient goes to the first maximum
 * in the window (row by row), as {@code nn.MaxPool2d} and libnd4j route it; a NaN in a window is its maximum (the
 * first NaN gets the gradient). Average pooling covers the notebook's case only, windows without padding ({@code nn.AvgPool2d(kernel, stride)}).
 */
final class PoolingKernel implements SubsamplingHelper {
    /** Below this many input elements one thread does the work: forking costs more than it saves (BN-LeNet). */
    private static final long PARALLEL_ELEMENTS = 1 << 16;

    private final PoolingType type;
    private final Window window;

    private PoolingKernel(SubsamplingLayer conf) {
        type = conf.getPoolingType();
        window = Window.of(conf.getKernelSize(), conf.getStride(), conf.getPadding());
    }

    /**
     * The kernel for a layer's configuration, or null where it does not apply (then DL4J's implementation runs):
     * pooling other than max and average, average pooling with padding, dilation, "same" mode, NHWC.
     *
     * @param conf the layer's configuration
     * @return the kernel, or null
     */
    static PoolingKernel of(SubsamplingLayer conf) {
        boolean max = conf.getPoolingType() == PoolingType.MAX;
        boolean avg = conf.getPoolingType() == PoolingType.AVG;
        boolean padded = conf.getPadding()[0] != 0 || conf.getPadding()[1] != 0;
        boolean covered = (max || avg && !padded)
                && conf.getConvolutionMode() != ConvolutionMode.Same
                && conf.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && conf.getDilation()[0] == 1 && conf.getDilation()[1] == 1
                && conf.getPadding()[0] < conf.getKernelSize()[0] && conf.getPadding()[1] < conf.getKernelSize()[1];
        return covered ? new PoolingKernel(conf) : null;
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Map.of();
    }

    /**
     * DL4J's call for backprop, with the layer's own configuration (which this kernel was made from); null, so that
     * DL4J runs its own code, for data this kernel does not take.
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, int[] kernel, int[] strides,
            int[] pad, PoolingType poolingType, ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        if (!takes(input) || epsilon.dataType() != DataType.FLOAT) {
            return null;
        }
        INDArray gradAtInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                input.shape(), 'c');
        backward(input, epsilon, gradAtInput);
        return new Pair<>(new DefaultGradient(), gradAtInput);
    }

    /** Not called by DL4J 1.0.0-M2.1 ({@link FastSubsamplingLayer} calls {@link #forward}); null when not taken. */
    @Override
    public INDArray activate(INDArray input, boolean training, int[] kernel, int[] strides, int[] pad,
            PoolingType poolingType, ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        return activate(input, workspaceMgr);
    }

    /**
     * The forward pass into a new activations array.
     *
     * @param input        [N, C, H, W]
     * @param workspaceMgr the layer's workspaces
     * @return the output, or null for data this kernel does not take
     */
    INDArray activate(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        if (!takes(input)) {
            return null;
        }
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                outputShape(input), 'c');
        forward(input, output);
        return output;
    }

    /** Whether this kernel takes an input array: float32, rank 4, within int indexing. */
    static boolean takes(INDArray input) {
        return input.dataType() == DataType.FLOAT && input.rank() == 4 && input.length() <= Integer.MAX_VALUE;
    }

    /** The output's shape for an NCHW input, with PyTorch's (and DL4J's truncate mode's) floor arithmetic. */
    long[] outputShape(INDArray input) {
        return new long[] {input.size(0), input.size(1), window.outputHeight(input.size(2)),
                window.outputWidth(input.size(3))};
    }

    /**
     * Pools {@code input} into {@code output}.
     *
     * @param input  [N, C, H, W]
     * @param output [N, C, outH, outW], c order, as {@link #outputShape} says
     */
    void forward(INDArray input, INDArray output) {
        Planes p = new Planes(input, output, this);
        FloatBuffer in = floats(contiguous(input));
        FloatBuffer out = floats(output);
        p.forEachRange((from, to) -> {
            float[] x = new float[p.inPlane];
            float[] y = new float[p.outPlane];
            float[] rows = new float[p.rowsPlane];
            for (int plane = from; plane < to; plane++) {
                in.get(plane * p.inPlane, x, 0, p.inPlane);
                if (type == PoolingType.MAX) {
                    maxForward(x, y, rows, p);
                } else {
                    avgForward(x, y, p);
                }
                out.put(plane * p.outPlane, y, 0, p.outPlane);
            }
        });
    }

    /**
     * The gradient at the pooling's input.
     *
     * @param input       the input of the forward pass, [N, C, H, W]
     * @param epsilon     the gradient at the output, [N, C, outH, outW]
     * @param gradAtInput where to write the gradient at the input, [N, C, H, W], c order
     */
    void backward(INDArray input, INDArray epsilon, INDArray gradAtInput) {
        INDArray x = contiguous(input);
        INDArray dy = contiguous(epsilon);
        Planes p = new Planes(x, dy, this);
        boolean max = type == PoolingType.MAX;
        FloatBuffer in = max ? floats(x) : null;
        FloatBuffer dyBuffer = floats(dy);
        FloatBuffer dxBuffer = floats(gradAtInput);
        p.forEachRange((from, to) -> {
            float[] dxs = new float[p.inPlane];
            float[] dys = new float[p.outPlane];
            float[] xs = max ? new float[p.inPlane] : null;
            float[] ys = max ? new float[p.outPlane] : null;
            float[] rows = max ? new float[p.rowsPlane] : null;
            for (int plane = from; plane < to; plane++) {
                dyBuffer.get(plane * p.outPlane, dys, 0, p.outPlane);
                if (max) {
                    in.get(plane * p.inPlane, xs, 0, p.inPlane);
                    maxBackward(xs, dys, dxs, ys, rows, p);
                } else {
                    avgBackward(dys, dxs, p);
                }
                dxBuffer.put(plane * p.inPlane, dxs, 0, p.inPlane);
            }
        });
    }

    private void maxForward(float[] x, float[] y, float[] rows, Planes p) {
        if (p.pairs) {
            for (int oh = 0, o = 0; oh < p.outH; oh++) {
                for (int ow = 0, i = 2 * oh * p.inW; ow < p.outW; ow++, i += 2) {
                    y[o++] = Math.max(Math.max(x[i], x[i + 1]), Math.max(x[i + p.inW], x[i + p.inW + 1]));
                }
            }
        } else {
            maxForwardWindows(x, y, rows, p);
        }
    }

    /**
     * Any window, in two passes (max is separable): first the maximum over each window's rows, along whole input
     * rows, which the JIT turns into vector instructions; then over each window's columns in that reduced row, with
     * the inner windows of AlexNet's and ResNet's 3-wide pooling written out. The window-by-window loop (nine maxima
     * in a chain for 3x3) took 5x as long per element in a micro-benchmark.
     */
    private void maxForwardWindows(float[] x, float[] y, float[] cols, Planes p) {
        int inW = p.inW;
        for (int oh = 0; oh < p.outH; oh++) {
            int h0 = oh * window.strideH() - window.padH();
            int hStart = Math.max(h0, 0);
            int hEnd = Math.min(h0 + window.kernelH(), p.inH);
            int c = oh * inW;
            System.arraycopy(x, hStart * inW, cols, c, inW);
            for (int h = hStart + 1; h < hEnd; h++) {
                int row = h * inW;
                for (int w = 0; w < inW; w++) {
                    cols[c + w] = Math.max(cols[c + w], x[row + w]); // NaN wins, as in PyTorch
                }
            }
            int o = oh * p.outW;
            for (int ow = 0; ow < p.outW; ow++) {
                int w0 = ow * window.strideW() - window.padW();
                int i = c + w0;
                y[o + ow] = window.kernelW() == 3 && w0 >= 0 && w0 + 3 <= inW
                        ? Math.max(Math.max(cols[i], cols[i + 1]), cols[i + 2])
                        : columnsMax(cols, c + Math.max(w0, 0), c + Math.min(w0 + window.kernelW(), inW));
            }
        }
    }

    private static float columnsMax(float[] row, int from, int to) {
        float best = row[from];
        for (int w = from + 1; w < to; w++) {
            best = Math.max(best, row[w]);
        }
        return best;
    }

    /** Each output's gradient to its window's first maximum. */
    private void maxBackward(float[] x, float[] dy, float[] dx, float[] y, float[] rows, Planes p) {
        if (p.pairs) {
            maxBackwardPairs(x, dy, dx, p);
        } else {
            maxBackwardWindows(x, dy, dx, y, rows, p);
        }
    }

    /**
     * Any window: the window maxima again ({@link #maxForwardWindows}), the gradient plane zeroed (windows may overlap
     * or leave rows out), then each output's gradient added at its window's first element equal to the maximum (or
     * NaN), found by scanning the window backwards with conditional moves rather than stopping at the first match:
     * which element is the maximum is random, so a branch would be mispredicted often.
     */
    private void maxBackwardWindows(float[] x, float[] dy, float[] dx, float[] y, float[] cols, Planes p) {
        maxForwardWindows(x, y, cols, p);
        Arrays.fill(dx, 0f);
        int o = 0;
        for (int oh = 0; oh < p.outH; oh++) {
            int h0 = oh * window.strideH() - window.padH();
            int hStart = Math.max(h0, 0);
            int hEnd = Math.min(h0 + window.kernelH(), p.inH);
            for (int ow = 0; ow < p.outW; ow++, o++) {
                int w0 = ow * window.strideW() - window.padW();
                int wStart = Math.max(w0, 0);
                int wEnd = Math.min(w0 + window.kernelW(), p.inW);
                boolean whole3x3 = window.kernelH() == 3 && window.kernelW() == 3 && hStart == h0 && hEnd == h0 + 3
                        && wStart == w0 && wEnd == w0 + 3;
                int at = whole3x3 ? firstOf3x3(x, h0 * p.inW + w0, p.inW, y[o])
                        : firstOf(x, hStart, hEnd, wStart, wEnd, p.inW, y[o]);
                dx[at] += dy[o];
            }
        }
    }

    /** The index of the window's first element equal to {@code max}, or of its first NaN (then {@code max} is NaN). */
    private static int firstOf(float[] x, int hStart, int hEnd, int wStart, int wEnd, int inW, float max) {
        int at = 0;
        for (int h = hEnd - 1; h >= hStart; h--) {
            int row = h * inW;
            for (int w = wEnd - 1; w >= wStart; w--) {
                at = is(x[row + w], max) ? row + w : at;
            }
        }
        return at;
    }

    /**
     * {@link #firstOf} for a whole 3x3 window starting at {@code i}, written out: with it the backward pass at
     * ResNet-18's stem took 77 instead of 100 ms (batch 128).
     */
    private static int firstOf3x3(float[] x, int i, int inW, float max) {
        int j = i + inW;
        int k = j + inW;
        int at = k + 2;
        at = is(x[k + 1], max) ? k + 1 : at;
        at = is(x[k], max) ? k : at;
        at = is(x[j + 2], max) ? j + 2 : at;
        at = is(x[j + 1], max) ? j + 1 : at;
        at = is(x[j], max) ? j : at;
        at = is(x[i + 2], max) ? i + 2 : at;
        at = is(x[i + 1], max) ? i + 1 : at;
        return is(x[i], max) ? i : at;
    }

    /** Whether {@code v} is the window's maximum {@code max}; a NaN is (max is NaN only if a NaN is in the window). */
    private static boolean is(float v, float max) {
        return v == max || v != v;
    }

    /** {@link #maxBackward} for 2x2 windows with stride 2 tiling the plane (VGG): a third faster. */
    private static void maxBackwardPairs(float[] x, float[] dy, float[] dx, Planes p) {
        int w = p.inW;
        for (int oh = 0, o = 0; oh < p.outH; oh++) {
            for (int ow = 0, i = 2 * oh * w; ow < p.outW; ow++, i += 2) {
                float a = x[i], b = x[i + 1], c = x[i + w], d = x[i + w + 1], g = dy[o++];
                float m = Math.max(Math.max(a, b), Math.max(c, d));
                // m is NaN if any of them is (Math.max): then the first NaN is the maximum
                boolean toA = a == m || a != a;
                boolean toB = !toA && (b == m || b != b);
                boolean toC = !toA && !toB && (c == m || c != c);
                boolean toD = !toA && !toB && !toC;
                dx[i] = toA ? g : 0f;
                dx[i + 1] = toB ? g : 0f;
                dx[i + w] = toC ? g : 0f;
                dx[i + w + 1] = toD ? g : 0f;
            }
        }
    }

    /** Average pooling; 2x2 windows tiling the plane (BN-LeNet's) in a loop of their own, as for max pooling. */
    private void avgForward(float[] x, float[] y, Planes p) {
        if (p.pairs) {
            for (int oh = 0, o = 0; oh < p.outH; oh++) {
                for (int ow = 0, i = 2 * oh * p.inW; ow < p.outW; ow++, i += 2) {
                    y[o++] = (x[i] + x[i + 1] + (x[i + p.inW] + x[i + p.inW + 1])) * 0.25f;
                }
            }
            return;
        }
        float scale = 1f / (window.kernelH() * window.kernelW());
        int o = 0;
        for (int oh = 0; oh < p.outH; oh++) {
            int h0 = oh * window.strideH();
            for (int ow = 0; ow < p.outW; ow++) {
                int w0 = ow * window.strideW();
                float sum = 0;
                for (int h = h0; h < h0 + window.kernelH(); h++) {
                    int row = h * p.inW;
                    for (int w = w0; w < w0 + window.kernelW(); w++) {
                        sum += x[row + w];
                    }
                }
                y[o++] = sum * scale;
            }
        }
    }

    private void avgBackward(float[] dy, float[] dx, Planes p) {
        if (p.pairs) {
            for (int oh = 0, o = 0; oh < p.outH; oh++) {
                for (int ow = 0, i = 2 * oh * p.inW; ow < p.outW; ow++, i += 2) {
                    float share = dy[o++] * 0.25f;
                    dx[i] = share;
                    dx[i + 1] = share;
                    dx[i + p.inW] = share;
                    dx[i + p.inW + 1] = share;
                }
            }
            return;
        }
        float scale = 1f / (window.kernelH() * window.kernelW());
        Arrays.fill(dx, 0f);
        int o = 0;
        for (int oh = 0; oh < p.outH; oh++) {
            int h0 = oh * window.strideH();
            for (int ow = 0; ow < p.outW; ow++) {
                int w0 = ow * window.strideW();
                float share = dy[o++] * scale;
                for (int h = h0; h < h0 + window.kernelH(); h++) {
                    int row = h * p.inW;
                    for (int w = w0; w < w0 + window.kernelW(); w++) {
                        dx[row + w] += share;
                    }
                }
            }
        }
    }

    /** The sizes of the (example, channel) planes of an input and an output array. */
    private static final class Planes {
        final int planes;
        final int inH;
        final int inW;
        final int outH;
        final int outW;
        final int inPlane;
        final int outPlane;
        /** The size of the windows' row maxima: output rows x input columns ({@link #maxForwardWindows}). */
        final int rowsPlane;
        /** Whether 2x2 windows with stride 2 tile the plane, no padding (VGG's max pools, BN-LeNet's average pools). */
        final boolean pairs;
        private final boolean parallel;

        Planes(INDArray input, INDArray output, PoolingKernel k) {
            planes = (int) (input.size(0) * input.size(1));
            inH = (int) input.size(2);
            inW = (int) input.size(3);
            outH = (int) output.size(2);
            outW = (int) output.size(3);
            inPlane = inH * inW;
            outPlane = outH * outW;
            rowsPlane = outH * inW;
            parallel = input.length() >= PARALLEL_ELEMENTS && planes > 1 && LayerHelpers.kernelsMayUseThreads();
            pairs = k.window.isPairs() && inH == 2 * outH && inW == 2 * outW;
        }

        /** Runs {@code body} on consecutive ranges of planes, a few per core, each with its own buffers. */
        void forEachRange(PlaneRange body) {
            if (!parallel) {
                body.run(0, planes);
                return;
            }
            int ranges = Math.min(planes, 4 * Runtime.getRuntime().availableProcessors());
            IntStream.range(0, ranges).parallel()
                    .forEach(r -> body.run((int) ((long) planes * r / ranges), (int) ((long) planes * (r + 1) / ranges)));
        }
    }

    @FunctionalInterface
    private interface PlaneRange {
        void run(int from, int to);
    }
}
