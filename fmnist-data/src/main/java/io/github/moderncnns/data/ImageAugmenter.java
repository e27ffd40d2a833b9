package io.github.moderncnns.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Applies an {@link Augmentation} to one image in place, with the randomness of that image alone (a
 * {@link SplittableRandom} from the image's seed), so that the result does not depend on which thread or batch
 * prepares it. Owns a scratch image; one instance per thread.
 */
final class ImageAugmenter {
    private static final double ERASE_MIN_AREA = 0.02;
    private static final double ERASE_MAX_AREA = 0.33;
    private static final double ERASE_LOG_MIN_RATIO = Math.log(0.3);
    private static final double ERASE_LOG_MAX_RATIO = Math.log(1 / 0.3);
    private static final int ERASE_ATTEMPTS = 10;

    private final Augmentation augmentation;
    private final int side;
    private final float[] scratch;

    ImageAugmenter(Augmentation augmentation, int side) {
        this.augmentation = augmentation;
        this.side = side;
        this.scratch = new float[side * side];
    }

    /**
     * Augments the {@code side x side} image at {@code offset} in {@code image}.
     *
     * @param image pixel rows, one after the other
     * @param offset where the image starts
     * @param seed this image's seed
     */
    void apply(float[] image, int offset, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        if (augmentation.cropPadding() > 0) {
            int padding = augmentation.cropPadding();
            crop(image, offset, random.nextInt(2 * padding + 1) - padding, random.nextInt(2 * padding + 1) - padding);
        }
        if (augmentation.flip() && random.nextBoolean()) {
            flip(image, offset);
        }
        if (augmentation.eraseProbability() > 0 && random.nextDouble() < augmentation.eraseProbability()) {
            erase(image, offset, random);
        }
    }

    /** Output pixel (y, x) is input pixel (y + dy, x + dx), black outside the image (the zero padding). */
    private void crop(float[] image, int offset, int dy, int dx) {
        System.arraycopy(image, offset, scratch, 0, scratch.length);
        for (int y = 0; y < side; y++) {
            int row = offset + y * side;
            int sourceY = y + dy;
            if (sourceY < 0 || sourceY >= side) {
                Arrays.fill(image, row, row + side, 0f);
                continue;
            }
            int from = Math.max(0, -dx);
            int to = Math.min(side, side - dx);
            Arrays.fill(image, row, row + from, 0f);
            System.arraycopy(scratch, sourceY * side + from + dx, image, row + from, to - from);
            Arrays.fill(image, row + to, row + side, 0f);
        }
    }

    private void flip(float[] image, int offset) {
        for (int y = 0; y < side; y++) {
            for (int left = offset + y * side, right = left + side - 1; left < right; left++, right--) {
                float pixel = image[left];
                image[left] = image[right];
                image[right] = pixel;
            }
        }
    }

    /** torchvision's RandomErasing: up to 10 tries to fit a rectangle of random area and aspect ratio. */
    private void erase(float[] image, int offset, SplittableRandom random) {
        double area = (double) side * side;
        for (int attempt = 0; attempt < ERASE_ATTEMPTS; attempt++) {
            double target = area * random.nextDouble(ERASE_MIN_AREA, ERASE_MAX_AREA);
            double ratio = Math.exp(random.nextDouble(ERASE_LOG_MIN_RATIO, ERASE_LOG_MAX_RATIO));
            int height = (int) Math.round(Math.sqrt(target * ratio));
            int width = (int) Math.round(Math.sqrt(target / ratio));
            if (height < 1 || width < 1 || height >= side || width >= side) {
                continue;
            }
            int top = random.nextInt(side - height + 1);
            int left = random.nextInt(side - width + 1);
            for (int y = top; y < top + height; y++) {
                int row = offset + y * side;
                Arrays.fill(image, row + left, row + left + width, 0f);
            }
            return;
        }
    }
}
