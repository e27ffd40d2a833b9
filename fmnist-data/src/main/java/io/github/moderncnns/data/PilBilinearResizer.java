package io.github.moderncnns.data;

/**
 * Resizes a square 8-bit grayscale image exactly as Pillow's {@code Image.resize(size, Image.BILINEAR)} does, which
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

    private final int inSide;
    private final int outSide;
    /** For each output position: first input position, number of taps. */
    private final int[] first;
    private final int[] taps;
    /** For each output position: {@code kernelSize} fixed-point weights. */
    private final int[] weights;
    private final int kernelSize;
    /** The horizontal pass's output: {@code inSide} rows of {@code outSide} 8-bit values. */
    private final int[] horizontal;
    /** The vertical pass's accumulator for one output row. */
    private final int[] accumulator;

    /**
     * @param inSide the input image side, in pixels
     * @param outSide the output image side, in pixels
     */
    public PilBilinearResizer(int inSide, int outSide) {
        if (inSide <= 0 || outSide <= 0) {
            throw new IllegalArgumentException("sides must be positive, found " + inSide + " -> " + outSide);
        }
        this.inSide = inSide;
        this.outSide = outSide;
        double scale = (double) inSide / outSide;
        double filterScale = Math.max(scale, 1.0);
        double support = 1.0 * filterScale; // the bilinear (triangle) filter's support is 1
        this.kernelSize = (int) Math.ceil(support) * 2 + 1;
        this.first = new int[outSide];
        this.taps = new int[outSide];
        this.weights = new int[outSide * kernelSize];
        double[] kernel = new double[kernelSize];
        for (int out = 0; out < outSide; out++) {
            double center = (out + 0.5) * scale;
            int min = Math.max((int) (center - support + 0.5), 0);
            int count = Math.min((int) (center + support + 0.5), inSide) - min;
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
        this.horizontal = new int[inSide * outSide];
        this.accumulator = new int[outSide];
    }

    private static double triangle(double x) {
        double a = Math.abs(x);
        return a < 1.0 ? 1.0 - a : 0.0;
    }

    /** The input side in pixels. */
    public int inSide() {
        return inSide;
    }

    /** The output side in pixels. */
    public int outSide() {
        return outSide;
    }

    /**
     * Resizes one image into {@code ToTensor()} floats.
     *
     * @param source the input pixels (unsigned bytes, row-major)
     * @param sourceOffset where the image starts in {@code source}
     * @param target receives {@code outSide * outSide} floats in [0, 1], row-major
     * @param targetOffset where to write in {@code target}
     */
    public void resize(byte[] source, int sourceOffset, float[] target, int targetOffset) {
        horizontalPass(source, sourceOffset);
        for (int out = 0; out < outSide; out++) {
            verticalPass(out);
            int row = targetOffset + out * outSide;
            for (int x = 0; x < outSide; x++) {
                int value = Math.min(Math.max(accumulator[x] >> PRECISION_BITS, 0), 255);
                target[row + x] = value / 255f;
            }
        }
    }

    private void horizontalPass(byte[] source, int sourceOffset) {
        for (int y = 0; y < inSide; y++) {
            int inRow = sourceOffset + y * inSide;
            int outRow = y * outSide;
            for (int x = 0; x < outSide; x++) {
                int sum = HALF;
                int start = inRow + first[x];
                int w = x * kernelSize;
                for (int k = 0, n = taps[x]; k < n; k++) {
                    sum += (source[start + k] & 0xff) * weights[w + k];
                }
                horizontal[outRow + x] = Math.min(Math.max(sum >> PRECISION_BITS, 0), 255);
            }
        }
    }

    private void verticalPass(int out) {
        int[] acc = accumulator;
        java.util.Arrays.fill(acc, HALF);
        int w = out * kernelSize;
        for (int k = 0, n = taps[out]; k < n; k++) {
            int weight = weights[w + k];
            int row = (first[out] + k) * outSide;
            for (int x = 0; x < outSide; x++) {
                acc[x] += horizontal[row + x] * weight;
            }
        }
    }
}
