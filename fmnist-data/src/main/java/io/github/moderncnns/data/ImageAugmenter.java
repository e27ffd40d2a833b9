package io.github.moderncnns.data;

import java.util.Arrays;

/**
 * Applies an {@link Augmentation} to one image while it is written into the batch: the crop and the flip are folded
 * into the one pass that converts (or copies) the pixels, and erasing blacks out a rectangle afterwards, so that
 * augmenting costs almost nothing next to reading the image. Each image's random numbers come from its own seed
 * ({@link #plan}), so the result does not depend on which thread or batch prepares it. One instance per thread.
 */
final class ImageAugmenter {
    private static final double ERASE_MIN_AREA = 0.02;
    private static final double ERASE_MAX_AREA = 0.33;
    private static final double ERASE_LOG_MIN_RATIO = Math.log(0.3);
    private static final double ERASE_LOG_MAX_RATIO = Math.log(1 / 0.3);
    private static final int ERASE_ATTEMPTS = 10;

    private final Augmentation augmentation;
    private final int side;
    private final int sourceSide;
    /** For resized images: the source mirrored before resizing, and the resized image before cropping. */
    private final byte[] mirroredSource;
    private final float[] resized;
    /** The current image's plan: shift, mirror, erased rectangle (height 0: none). */
    private int dy;
    private int dx;
    private boolean mirror;
    private int eraseTop;
    private int eraseLeft;
    private int eraseHeight;
    private int eraseWidth;
    /** SplitMix64's state: no generator object per image. */
    private long state;

    /**
     * @param augmentation what to do
     * @param side the side of the images written
     * @param sourceSide the side of the source images (= {@code side} unless they are resized)
     */
    ImageAugmenter(Augmentation augmentation, int side, int sourceSide) {
        this.augmentation = augmentation;
        this.side = side;
        this.sourceSide = sourceSide;
        this.mirroredSource = sourceSide == side ? null : new byte[sourceSide * sourceSide];
        this.resized = sourceSide == side ? null : new float[side * side];
    }

    /**
     * Draws the next image's augmentation, as torchvision draws it: crop offset, then flip, then erasing (up to 10
     * tries to fit a rectangle of random area and aspect ratio).
     *
     * @param seed the image's seed
     */
    void plan(long seed) {
        state = seed;
        int padding = augmentation.cropPadding();
        dy = padding == 0 ? 0 : nextInt(2 * padding + 1) - padding;
        dx = padding == 0 ? 0 : nextInt(2 * padding + 1) - padding;
        mirror = augmentation.flip() && nextDouble() < 0.5;
        eraseHeight = 0;
        if (augmentation.eraseProbability() > 0 && nextDouble() < augmentation.eraseProbability()) {
            double area = (double) side * side;
            for (int attempt = 0; attempt < ERASE_ATTEMPTS; attempt++) {
                double target = area * (ERASE_MIN_AREA + (ERASE_MAX_AREA - ERASE_MIN_AREA) * nextDouble());
                double ratio = Math.exp(ERASE_LOG_MIN_RATIO + (ERASE_LOG_MAX_RATIO - ERASE_LOG_MIN_RATIO)
                        * nextDouble());
                int height = (int) Math.round(Math.sqrt(target * ratio));
                int width = (int) Math.round(Math.sqrt(target / ratio));
                if (height >= 1 && width >= 1 && height < side && width < side) {
                    eraseTop = nextInt(side - height + 1);
                    eraseLeft = nextInt(side - width + 1);
                    eraseHeight = height;
                    eraseWidth = width;
                    return;
                }
            }
        }
    }

    /**
     * Writes the planned image from 8-bit pixels ({@code ToTensor()}: divided by 255).
     *
     * @param source pixel bytes, rows one after the other
     * @param start where the image starts in {@code source}
     * @param target the batch's floats
     * @param offset where the image goes in {@code target}
     */
    void fromBytes(byte[] source, int start, float[] target, int offset) {
        for (int y = 0; y < side; y++) {
            int row = offset + y * side;
            int sourceY = y + dy;
            if (sourceY < 0 || sourceY >= side) {
                Arrays.fill(target, row, row + side, 0f);
                continue;
            }
            int from = firstColumn(mirror);
            int to = endColumn(mirror);
            Arrays.fill(target, row, row + from, 0f);
            int sourceRow = start + sourceY * side;
            if (mirror) {
                for (int x = from, sourceX = side - 1 - from + dx; x < to; x++, sourceX--) {
                    target[row + x] = (source[sourceRow + sourceX] & 0xff) / 255f;
                }
            } else {
                for (int x = from; x < to; x++) {
                    target[row + x] = (source[sourceRow + x + dx] & 0xff) / 255f;
                }
            }
            Arrays.fill(target, row + to, row + side, 0f);
        }
        erase(target, offset);
    }

    /**
     * Resizes and writes the planned image. A mirrored image is mirrored before resizing, at the source's 784
     * pixels instead of the output's (50,176 at 224): the same picture up to rounding, and it keeps augmentation
     * within 10 % of the iterator's time at 224 (docs/data.md).
     *
     * @param resizer the resizer from the source side to this side
     * @param source pixel bytes, rows one after the other
     * @param start where the image starts in {@code source}
     * @param target the batch's floats
     * @param offset where the image goes in {@code target}
     */
    void fromResized(PilBilinearResizer resizer, byte[] source, int start, float[] target, int offset) {
        if (mirror) {
            for (int y = 0; y < sourceSide; y++) {
                for (int x = 0, from = start + y * sourceSide + sourceSide - 1; x < sourceSide; x++, from--) {
                    mirroredSource[y * sourceSide + x] = source[from];
                }
            }
            resizer.resize(mirroredSource, 0, resized, 0);
        } else {
            resizer.resize(source, start, resized, 0);
        }
        writeFloats(resized, target, offset, false); // mirrored already, if at all
    }

    /**
     * Writes the planned image from a (resized) float image.
     *
     * @param source the image, rows one after the other
     * @param target the batch's floats
     * @param offset where the image goes in {@code target}
     */
    void fromFloats(float[] source, float[] target, int offset) {
        writeFloats(source, target, offset, mirror);
    }

    private void writeFloats(float[] source, float[] target, int offset, boolean mirrored) {
        for (int y = 0; y < side; y++) {
            int row = offset + y * side;
            int sourceY = y + dy;
            if (sourceY < 0 || sourceY >= side) {
                Arrays.fill(target, row, row + side, 0f);
                continue;
            }
            int from = firstColumn(mirrored);
            int to = endColumn(mirrored);
            Arrays.fill(target, row, row + from, 0f);
            int sourceRow = sourceY * side;
            if (mirrored) {
                for (int x = from, sourceX = side - 1 - from + dx; x < to; x++, sourceX--) {
                    target[row + x] = source[sourceRow + sourceX];
                }
            } else {
                System.arraycopy(source, sourceRow + from + dx, target, row + from, to - from);
            }
            Arrays.fill(target, row + to, row + side, 0f);
        }
        erase(target, offset);
    }

    /**
     * The first output column whose source pixel lies inside the image. Output column x reads source column
     * {@code x + dx}, or {@code side - 1 - x + dx} when mirrored.
     */
    private int firstColumn(boolean mirrored) {
        return mirrored ? Math.max(0, dx) : Math.max(0, -dx);
    }

    /** One past the last output column whose source pixel lies inside the image. */
    private int endColumn(boolean mirrored) {
        return mirrored ? Math.min(side, side + dx) : Math.min(side, side - dx);
    }

    private void erase(float[] target, int offset) {
        for (int y = eraseTop; y < eraseTop + eraseHeight; y++) {
            int row = offset + y * side;
            Arrays.fill(target, row + eraseLeft, row + eraseLeft + eraseWidth, 0f);
        }
    }

    private long nextLong() {
        state += FashionMnistIterator.GOLDEN_GAMMA;
        return FashionMnistIterator.mix(state);
    }

    /** Uniform in [0, 1) from the top 53 bits. */
    private double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound) (the tiny modulo bias of a 64-bit draw is far below what images could show). */
    private int nextInt(int bound) {
        return (int) Long.remainderUnsigned(nextLong(), bound);
    }
}
