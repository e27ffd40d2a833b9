package io.github.moderncnns.data;

/**
 * Resizes an 8-bit grayscale image exactly as Pillow's {@code Image.resize(size, Image.BILINEAR)} does, which
 * is what torchvision's {@code transforms.Resize(n)} runs on the notebook's PIL images. The output is
 * {@code ToTensor()}'s: float32 {@code byte / 255}. It is bit-identical to the reference, not merely close.
 *
 * <p>Pillow resamples with a triangle filter whose support grows with the scale when shrinking, in two separable
 * passes (horizontal, then vertical), with 22-bit fixed-point weights and the intermediate image rounded and clipped
 * to 8 bits. This class reproduces that arithmetic; the weight tables are computed once per size pair, so resizing
 * allocates nothing. Not thread-safe: use one instance per thread.
 */
public final class PilBilinearResizer {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    private final Axis horizontalAxis;
    private final Axis verticalAxis;
    private final int inWidth;
    private final int inHeight;
    private final int outWidth;
    private final int outHeight;
    /** The horizontal pass's output: {@code inHeight} rows of {@code outWidth} 8-bit values. */
    private final int[] horizontal;
    /** The vertical pass's accumulator for one output row. */
    private final int[] accumulator;

    /**
     * A square resizer.
     *
     * @param inSide the input image side, in pixels
     * @param outSide the output image side, in pixels
     */
    public PilBilinearResizer(int inSide, int outSide) {
        this(inSide, inSide, outSide, outSide);
    }

    /**
     * A resizer between any two sizes, as Pillow's {@code resize((outWidth, outHeight), BILINEAR)}.
     *
     * @param inWidth the input width
     * @param inHeight the input height
     * @param outWidth the output width
     * @param outHeight the output height
     */
    public PilBilinearResizer(int inWidth, int inHeight, int outWidth, int outHeight) {
        if (inWidth <= 0 || inHeight <= 0 || outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("sizes must be positive, found " + inWidth + "x" + inHeight + " -> "
                    + outWidth + "x" + outHeight);
        }
        this.inWidth = inWidth;
        this.inHeight = inHeight;
        this.outWidth = outWidth;
        this.outHeight = outHeight;
        this.horizontalAxis = new Axis(inWidth, outWidth);
        this.verticalAxis = new Axis(inHeight, outHeight);
        this.horizontal = new int[inHeight * outWidth];
        this.accumulator = new int[outWidth];
    }

    /** Pillow's fixed-point filter weights along one axis, computed once. */
    private static final class Axis {
        /** For each output position: first input position, number of taps. */
        final int[] first;
        final int[] taps;
        /** For each output position: {@code kernelSize} fixed-point weights. */
        final int[] weights;
        final int kernelSize;

        Axis(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = 1.0 * filterScale; // the bilinear (triangle) filter's support is 1
            this.kernelSize = (int) Math.ceil(support) * 2 + 1;
            this.first = new int[outSize];
            this.taps = new int[outSize];
            this.weights = new int[outSize * kernelSize];
            double[] kernel = new double[kernelSize];
            for (int out = 0; out < outSize; out++) {
                double center = (out + 0.5) * scale;
                int min = Math.max((int) (center - support + 0.5), 0);
                int count = Math.min((int) (center + support + 0.5), inSize) - min;
                double sum = 0;
                for (int k = 0; k < count; k++) {
                    kernel[k] = triangle((k + min - center + 0.5) / filterScale);
                    sum += kernel[k];
                }
                for (int k = 0; k < count; k++) {
                    double w = sum != 0.0 ? kernel[k] / sum : kernel[k];
                    weights[out * kernelSize + k] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS)
                            : 0.5 + w * (1 << PRECISION_BITS));
                }
                first[out] = min;
                taps[out] = count;
            }
        }
    }

    private static double triangle(double x) {
        double a = Math.abs(x);
        return a < 1.0 ? 1.0 - a : 0.0;
    }

    /** The input width in pixels. */
    public int inWidth() {
        return inWidth;
    }

    /** The output width in pixels. */
    public int outWidth() {
        return outWidth;
    }

    /** The output height in pixels. */
    public int outHeight() {
        return outHeight;
    }

    /**
     * Resizes one image into {@code ToTensor()} floats.
     *
     * @param source the input pixels (unsigned bytes, row-major)
     * @param sourceOffset where the image starts in {@code source}
     * @param target receives {@code outWidth * outHeight} floats in [0, 1], row-major
     * @param targetOffset where to write in {@code target}
     */
    public void resize(byte[] source, int sourceOffset, float[] target, int targetOffset) {
        horizontalPass(source, sourceOffset);
        for (int out = 0; out < outHeight; out++) {
            verticalPass(out);
            int row = targetOffset + out * outWidth;
            for (int x = 0; x < outWidth; x++) {
                int value = Math.min(Math.max(accumulator[x] >> PRECISION_BITS, 0), 255);
                target[row + x] = value / 255f;
            }
        }
    }

    private void horizontalPass(byte[] source, int sourceOffset) {
        Axis axis = horizontalAxis;
        for (int y = 0; y < inHeight; y++) {
            int inRow = sourceOffset + y * inWidth;
            int outRow = y * outWidth;
            for (int x = 0; x < outWidth; x++) {
                int sum = HALF;
                int start = inRow + axis.first[x];
                int w = x * axis.kernelSize;
                for (int k = 0, n = axis.taps[x]; k < n; k++) {
                    sum += (source[start + k] & 0xff) * axis.weights[w + k];
                }
                horizontal[outRow + x] = Math.min(Math.max(sum >> PRECISION_BITS, 0), 255);
            }
        }
    }

    private void verticalPass(int out) {
        Axis axis = verticalAxis;
        int[] acc = accumulator;
        java.util.Arrays.fill(acc, HALF);
        int w = out * axis.kernelSize;
        for (int k = 0, n = axis.taps[out]; k < n; k++) {
            int weight = axis.weights[w + k];
            int row = (axis.first[out] + k) * outWidth;
            for (int x = 0; x < outWidth; x++) {
                acc[x] += horizontal[row + x] * weight;
            }
        }
    }
}
