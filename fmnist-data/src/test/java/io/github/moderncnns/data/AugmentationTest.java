package io.github.moderncnns.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** {@link Augmentation} specs, what {@link ImageAugmenter} does to an image, and augmented iterators. */
class AugmentationTest {
    private static final int SIDE = 28;

    /** Every pixel different and non-zero: pixel p is (p + 1) / 1000. */
    private static float[] distinctPixels() {
        float[] image = new float[SIDE * SIDE];
        for (int p = 0; p < image.length; p++) {
            image[p] = (p + 1) / 1000f;
        }
        return image;
    }

    private static int sourceOf(float value) {
        return Math.round(value * 1000f) - 1;
    }

    @Test
    void specsRoundTripAndMistakesNameThePartAndTheForm() {
        assertThat(Augmentation.parse("crop:4,flip,erase:0.5")).isEqualTo(new Augmentation(4, true, 0.5));
        assertThat(Augmentation.parse(" flip ")).isEqualTo(new Augmentation(0, true, 0));
        assertThat(Augmentation.parse("none")).isEqualTo(Augmentation.none());
        assertThat(Augmentation.none().isNone()).isTrue();
        for (String spec : List.of("none", "crop:4", "flip", "erase:0.25", "crop:2,flip,erase:0.5")) {
            assertThat(Augmentation.parse(spec).toString()).isEqualTo(spec);
        }
        assertThatThrownBy(() -> Augmentation.parse("crop:4,rotate"))
                .hasMessageContaining("unknown augmentation 'rotate'").hasMessageContaining("crop:4,flip,erase:0.5");
        assertThatThrownBy(() -> Augmentation.parse("crop")).hasMessageContaining("write crop:PAD");
        assertThatThrownBy(() -> Augmentation.parse("erase:1.5"))
                .hasMessageContaining("erase probability must be between 0 and 1, found 1.5");
        assertThatThrownBy(() -> Augmentation.parse("crop:-1")).hasMessageContaining("found -1");
        assertThatThrownBy(() -> Augmentation.parse("flip:yes")).hasMessageContaining("flip takes no value");
    }

    @Test
    void aCropShiftsTheWholeImageByAtMostThePaddingAndFillsWithBlack() {
        Set<String> shifts = new HashSet<>();
        ImageAugmenter augmenter = new ImageAugmenter(new Augmentation(4, false, 0), SIDE, SIDE);
        for (long seed = 0; seed < 2000; seed++) {
            float[] image = new float[SIDE * SIDE];
            augmenter.plan(seed);
            augmenter.fromFloats(distinctPixels(), image, 0);
            Integer dy = null;
            Integer dx = null;
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    float value = image[y * SIDE + x];
                    if (value == 0) {
                        continue;
                    }
                    int source = sourceOf(value);
                    int sy = source / SIDE - y;
                    int sx = source % SIDE - x;
                    if (dy == null) {
                        dy = sy;
                        dx = sx;
                    }
                    assertThat(new int[] {sy, sx}).as("one shift for the whole image").containsExactly(dy, dx);
                }
            }
            assertThat(Math.abs(dy)).isLessThanOrEqualTo(4);
            assertThat(Math.abs(dx)).isLessThanOrEqualTo(4);
            long black = 0;
            for (float value : image) {
                black += value == 0 ? 1 : 0;
            }
            // black exactly where the shifted source falls outside the image
            assertThat(black).isEqualTo((long) SIDE * SIDE - (long) (SIDE - Math.abs(dy)) * (SIDE - Math.abs(dx)));
            shifts.add(dy + "," + dx);
        }
        assertThat(shifts).as("all 81 shifts of [-4, 4]^2 occur in 2,000 images").hasSize(81);
    }

    @Test
    void aFlipMirrorsAboutHalfOfTheImagesLeftToRight() {
        ImageAugmenter augmenter = new ImageAugmenter(new Augmentation(0, true, 0), SIDE, SIDE);
        float[] original = distinctPixels();
        float[] mirrored = original.clone();
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                mirrored[y * SIDE + x] = original[y * SIDE + SIDE - 1 - x];
            }
        }
        int flipped = 0;
        for (long seed = 0; seed < 1000; seed++) {
            float[] image = new float[SIDE * SIDE];
            augmenter.plan(seed);
            augmenter.fromFloats(original, image, 0);
            if (Arrays.equals(image, mirrored)) {
                flipped++;
            } else {
                assertThat(image).isEqualTo(original);
            }
        }
        assertThat(flipped).isBetween(450, 550);
    }

    @Test
    void erasingBlacksOutOneRectangleOfTwoToThirtyThreePercentWithItsProbability() {
        ImageAugmenter augmenter = new ImageAugmenter(new Augmentation(0, false, 0.5), SIDE, SIDE);
        float[] original = distinctPixels();
        int erased = 0;
        for (long seed = 0; seed < 1000; seed++) {
            float[] image = new float[SIDE * SIDE + 5]; // at an offset, as in a batch
            augmenter.plan(seed);
            augmenter.fromFloats(original, image, 5);
            int top = SIDE;
            int bottom = -1;
            int left = SIDE;
            int right = -1;
            int zeros = 0;
            for (int p = 0; p < original.length; p++) {
                float value = image[5 + p];
                if (value == 0) {
                    zeros++;
                    top = Math.min(top, p / SIDE);
                    bottom = Math.max(bottom, p / SIDE);
                    left = Math.min(left, p % SIDE);
                    right = Math.max(right, p % SIDE);
                } else {
                    assertThat(value).isEqualTo(original[p]);
                }
            }
            if (zeros > 0) {
                erased++;
                assertThat(zeros).as("a full rectangle").isEqualTo((bottom - top + 1) * (right - left + 1));
                assertThat(zeros).isBetween((int) (0.02 * SIDE * SIDE) - 28, (int) Math.ceil(0.33 * SIDE * SIDE) + 28);
            }
        }
        assertThat(erased).isBetween(450, 550);
    }

    @Test
    void bytesAndResizedFloatsGetTheSameAugmentation() {
        ImageAugmenter augmenter = new ImageAugmenter(Augmentation.parse("crop:3,flip,erase:0.5"), SIDE, SIDE);
        byte[] bytes = new byte[SIDE * SIDE + 3];
        float[] floats = new float[SIDE * SIDE];
        for (int p = 0; p < SIDE * SIDE; p++) {
            bytes[3 + p] = (byte) (p * 7 + 1);
            floats[p] = ((p * 7 + 1) & 0xff) / 255f;
        }
        for (long seed = 0; seed < 100; seed++) {
            float[] fromBytes = new float[SIDE * SIDE];
            float[] fromFloats = new float[SIDE * SIDE];
            augmenter.plan(seed);
            augmenter.fromBytes(bytes, 3, fromBytes, 0);
            augmenter.plan(seed);
            augmenter.fromFloats(floats, fromFloats, 0);
            assertThat(fromBytes).isEqualTo(fromFloats);
        }
    }

    @Test
    void aResizedImageIsMirroredBeforeResizingWithTheSameResultUpToRounding() {
        PilBilinearResizer resizer = new PilBilinearResizer(SIDE, 96);
        byte[] source = new byte[SIDE * SIDE];
        for (int p = 0; p < source.length; p++) {
            source[p] = (byte) ((p * 37) % 251);
        }
        float[] plain = new float[96 * 96];
        resizer.resize(source, 0, plain, 0);
        ImageAugmenter augmenter = new ImageAugmenter(new Augmentation(0, true, 0), 96, SIDE);
        int mirrored = 0;
        for (long seed = 0; seed < 20; seed++) {
            float[] image = new float[96 * 96];
            augmenter.plan(seed);
            augmenter.fromResized(resizer, source, 0, image, 0);
            boolean same = java.util.Arrays.equals(image, plain);
            if (!same) {
                mirrored++;
                for (int y = 0; y < 96; y++) {
                    for (int x = 0; x < 96; x++) {
                        assertThat(image[y * 96 + x]).isCloseTo(plain[y * 96 + 95 - x],
                                org.assertj.core.data.Offset.offset(1e-6f));
                    }
                }
            }
        }
        assertThat(mirrored).isBetween(3, 17);
    }

    private static FashionMnistIterator.Builder augmented(int batchSize) {
        byte[] images = SyntheticIdx.images(103);
        byte[] labels = SyntheticIdx.labels(103);
        ImageSet set = ImageSet.of(Arrays.copyOfRange(images, 16, images.length),
                Arrays.copyOfRange(labels, 8, labels.length), 28);
        return FashionMnistIterator.builder().setImages(set).setBatchSize(batchSize).optShuffleSeed(7)
                .optAugmentation(Augmentation.parse("crop:3,flip,erase:0.5"));
    }

    /** Each image's features in the epoch, keyed by its position in the epoch. */
    private static List<float[]> epoch(FashionMnistIterator iterator) {
        List<float[]> features = new ArrayList<>();
        while (iterator.hasNext()) {
            DataSet batch = iterator.next();
            for (int i = 0; i < batch.numExamples(); i++) {
                features.add(batch.getFeatures().slice(i).dup().data().asFloat());
            }
        }
        return features;
    }

    @Test
    void anAugmentedEpochDependsOnTheSeedAndEpochAloneNotOnBatchesThreadsOrResuming() {
        try (FashionMnistIterator prefetched = augmented(25).build();
                FashionMnistIterator callerThread = augmented(10).optPrefetch(0).build();
                FashionMnistIterator resumed = augmented(25).build();
                FashionMnistIterator plain = FashionMnistIterator.builder().setImages(ImageSet.of(
                        Arrays.copyOfRange(SyntheticIdx.images(103), 16, 16 + 103 * 784),
                        Arrays.copyOfRange(SyntheticIdx.labels(103), 8, 8 + 103), 28))
                        .setBatchSize(25).optShuffleSeed(7).build()) {
            prefetched.setEpoch(2);
            callerThread.setEpoch(2);
            resumed.setEpoch(2, 3); // continues after 3 of the epoch's 5 batches
            List<float[]> epoch2 = epoch(prefetched);
            List<float[]> again = epoch(callerThread);
            List<float[]> tail = epoch(resumed);
            plain.setEpoch(2);
            List<float[]> unaugmented = epoch(plain);

            assertThat(epoch2).hasSize(103);
            for (int i = 0; i < 103; i++) {
                assertThat(again.get(i)).as("image %d", i).isEqualTo(epoch2.get(i));
                for (float value : epoch2.get(i)) {
                    assertThat(value).isBetween(0f, 1f);
                }
            }
            for (int i = 0; i < tail.size(); i++) {
                assertThat(tail.get(i)).isEqualTo(epoch2.get(75 + i));
            }
            long changed = 0;
            for (int i = 0; i < 103; i++) {
                changed += Arrays.equals(epoch2.get(i), unaugmented.get(i)) ? 0 : 1;
            }
            assertThat(changed).as("augmented images, same order as without augmentation").isGreaterThan(80);
            prefetched.setEpoch(3);
            List<float[]> epoch3 = epoch(prefetched);
            plain.setEpoch(3);
            List<float[]> order3 = epoch(plain);
            assertThat(epoch3.get(0)).isNotEqualTo(order3.get(0));
        }
    }

    @Test
    void augmentationNeedsTheShuffleSeedOfATrainingIterator() {
        byte[] images = SyntheticIdx.images(10);
        byte[] labels = SyntheticIdx.labels(10);
        ImageSet set = ImageSet.of(Arrays.copyOfRange(images, 16, images.length),
                Arrays.copyOfRange(labels, 8, labels.length), 28);
        assertThatThrownBy(() -> FashionMnistIterator.builder().setImages(set).setBatchSize(5)
                .optAugmentation(new Augmentation(0, true, 0)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("set optShuffleSeed(...) too");
    }
}
