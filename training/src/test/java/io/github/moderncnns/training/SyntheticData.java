package io.github.moderncnns.training;

import io.github.moderncnns.data.FashionMnistIterator;
import io.github.moderncnns.data.ImageSet;
import java.util.Random;

/** Small synthetic Fashion-MNIST-shaped data for fast tests of the loop's mechanics. */
final class SyntheticData {
    private SyntheticData() {
    }

    /** {@code count} random 28x28 images whose brightness depends on the label, so a network can learn them. */
    static ImageSet images(int count, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * 784];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(10);
            labels[i] = (byte) label;
            for (int p = 0; p < 784; p++) {
                pixels[i * 784 + p] = (byte) Math.min(255, label * 20 + random.nextInt(40));
            }
        }
        return ImageSet.of(pixels, labels, 28);
    }

    static FashionMnistIterator iterator(ImageSet images, int batchSize, int resize) {
        FashionMnistIterator.Builder builder = FashionMnistIterator.builder().setImages(images).setBatchSize(batchSize);
        if (resize > 0) {
            builder.optResize(resize);
        }
        return builder.build();
    }
}
