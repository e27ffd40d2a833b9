package io.github.moderncnns.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Batch layout, order, epochs and prefetch of {@link FashionMnistIterator}, on synthetic images. */
class FashionMnistIteratorTest {
    /** 103 images; pixel p of image i is (i * 7 + p) % 256, label i % 10. */
    private static final ImageSet IMAGES = images(103);

    private static ImageSet images(int count) {
        byte[] images = SyntheticIdx.images(count);
        byte[] labels = SyntheticIdx.labels(count);
        return ImageSet.of(Arrays.copyOfRange(images, 16, images.length), Arrays.copyOfRange(labels, 8, labels.length),
                28);
    }

    /** The synthetic source index of each example in a batch, recovered from its first pixel. */
    private static int[] sourceIndices(DataSet batch) {
        int n = batch.numExamples();
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            int first = Math.round(batch.getFeatures().getFloat(i, 0, 0, 0) * 255f);
            int label = batch.getLabels().getRow(i).argMax().getInt(0);
            // first pixel = (7 i) mod 256 and label = i mod 10 identify i below 103
            for (int candidate = 0; candidate < 103; candidate++) {
                if ((candidate * 7) % 256 == first && candidate % 10 == label) {
                    indices[i] = candidate;
                }
            }
        }
        return indices;
    }

    private static List<Integer> epoch(FashionMnistIterator iterator) {
        List<Integer> seen = new ArrayList<>();
        while (iterator.hasNext()) {
            for (int index : sourceIndices(iterator.next())) {
                seen.add(index);
            }
        }
        return seen;
    }

    @Test
    void batchesHaveTheNotebookLayoutAndTheLastOneIsPartial() {
        try (FashionMnistIterator iterator = FashionMnistIterator.builder().setImages(IMAGES).setBatchSize(25).build()) {
            List<Integer> sizes = new ArrayList<>();
            DataSet first = null;
            while (iterator.hasNext()) {
                DataSet batch = iterator.next();
                first = first == null ? batch.copy() : first; // kept beyond the next batch: copied
                sizes.add(batch.numExamples());
            }

            assertThat(sizes).containsExactly(25, 25, 25, 25, 3);
            assertThat(iterator.batchesPerEpoch()).isEqualTo(5);
            INDArray features = first.getFeatures();
            assertThat(features.shape()).containsExactly(25, 1, 28, 28);
            assertThat(features.dataType()).isEqualTo(DataType.FLOAT);
            assertThat(features.getFloat(1, 0, 0, 3)).isEqualTo(10 / 255f); // image 1, pixel 3: 7 + 3
            assertThat(features.getFloat(2, 0, 1, 0)).isEqualTo(42 / 255f); // image 2, pixel 28: 14 + 28
            assertThat(first.getLabels().shape()).containsExactly(25, 10);
            assertThat(first.getLabels().getRow(13).toFloatVector())
                    .containsExactly(0, 0, 0, 1, 0, 0, 0, 0, 0, 0);
            assertThat(first.getLabelNamesList()).isEqualTo(FashionMnist.CLASS_NAMES);
            assertThatThrownBy(iterator::next).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("call reset() for the next epoch");
        }
    }

    @Test
    void describesItselfToDl4j() {
        try (FashionMnistIterator iterator = FashionMnistIterator.builder().setImages(IMAGES).setBatchSize(8)
                .optResize(32).build()) {
            assertThat(iterator.inputColumns()).isEqualTo(32 * 32);
            assertThat(iterator.totalOutcomes()).isEqualTo(10);
            assertThat(iterator.batch()).isEqualTo(8);
            assertThat(iterator.getLabels()).containsExactly("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
            assertThat(iterator.resetSupported()).isTrue();
            assertThat(iterator.asyncSupported()).as("prefetches itself").isFalse();
            assertThat(iterator.next().getFeatures().shape()).containsExactly(8, 1, 32, 32);
        }
        try (FashionMnistIterator sync = FashionMnistIterator.builder().setImages(IMAGES).setBatchSize(8)
                .optPrefetch(0).build()) {
            assertThat(sync.asyncSupported()).as("DL4J may wrap it").isTrue();
        }
    }

    @Test
    void withoutShuffleTheOrderIsFixedAcrossEpochs() {
        try (FashionMnistIterator iterator = FashionMnistIterator.builder().setImages(IMAGES).setBatchSize(10).build()) {
            List<Integer> first = epoch(iterator);
            iterator.reset();
            List<Integer> second = epoch(iterator);

            assertThat(first).hasSize(103).isEqualTo(second);
            assertThat(first.subList(0, 5)).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void shuffledEpochsArePermutationsThatDifferAndReproduce() {
        FashionMnistIterator.Builder builder = FashionMnistIterator.builder().setImages(IMAGES).setBatchSize(16)
                .optShuffleSeed(42);
        try (FashionMnistIterator a = builder.build(); FashionMnistIterator b = builder.build()) {
            List<Integer> a0 = epoch(a);
            a.reset();
            List<Integer> a1 = epoch(a);
            List<Integer> b0 = epoch(b);

            assertThat(a0).hasSize(103).doesNotHaveDuplicates().isNotEqualTo(a1).isEqualTo(b0);
            assertThat(a1).containsExactlyInAnyOrderElementsOf(a0);
            assertThat(a.epoch()).isEqualTo(1);
            assertThat(a0).isNotEqualTo(epoch(FashionMnistIterator.builder().setImages(IMAGES).setBatchSize(16)
                    .optShuffleSeed(43).build()));
        }
    }

    @Test
    void aResetBeforeAnyBatchKeepsTheEpochAndSetEpochJumps() {
        FashionMnistIterator.Builder builder = FashionMnistIterator.builder().setImages(IMAGES).setBatchSize(16)
                .optShuffleSeed(7);
        try (FashionMnistIterator iterator = builder.build(); FashionMnistIterator resumed = builder.optEpoch(3)
                .build()) {
            iterator.reset();
            iterator.reset();
            assertThat(iterator.epoch()).isZero();
            iterator.next();
            iterator.reset(); // mid-epoch: the next epoch starts
            assertThat(iterator.epoch()).isEqualTo(1);

            iterator.setEpoch(3);
            assertThat(epoch(iterator)).isEqualTo(epoch(resumed));
            assertThat(iterator.order(3)).isEqualTo(resumed.order(3));
            assertThat(Arrays.stream(iterator.order(3)).boxed().toList())
                    .isEqualTo(epoch(builder.optEpoch(3).optPrefetch(0).build()));
        }
    }

    /** What a run resumed from a mid-epoch checkpoint relies on: the rest of the epoch is the uninterrupted one's. */
    @Test
    void anEpochCanContinueAfterItsFirstMinibatchesAndTheNextStartsWhole() {
        FashionMnistIterator.Builder builder = FashionMnistIterator.builder().setImages(IMAGES).setBatchSize(16)
                .optShuffleSeed(11);
        try (FashionMnistIterator straight = builder.build(); FashionMnistIterator resumed = builder.build()) {
            straight.setEpoch(2);
            List<Integer> whole = epoch(straight);
            straight.reset();
            List<Integer> next = epoch(straight);

            resumed.setEpoch(2, 3);
            resumed.reset(); // before any batch: stays after minibatch 3, as DL4J's fit may reset
            assertThat(resumed.epoch()).isEqualTo(2);
            assertThat(epoch(resumed)).isEqualTo(whole.subList(3 * 16, whole.size()));
            resumed.reset();
            assertThat(resumed.epoch()).isEqualTo(3);
            assertThat(epoch(resumed)).isEqualTo(next);

            assertThatThrownBy(() -> resumed.setEpoch(0, 7))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("batchesDone must be between 0 and 6 (an epoch has 7 minibatches), found 7");
        }
    }

    @Test
    void prefetchedAndCallerThreadBatchesAreIdentical() {
        FashionMnistIterator.Builder builder = FashionMnistIterator.builder().setImages(IMAGES).setBatchSize(20)
                .optShuffleSeed(3).optResize(40);
        try (FashionMnistIterator prefetched = builder.optPrefetch(3).build();
                FashionMnistIterator direct = builder.optPrefetch(0).build()) {
            for (int epoch = 0; epoch < 2; epoch++) {
                while (direct.hasNext()) {
                    assertThat(prefetched.hasNext()).isTrue();
                    DataSet expected = direct.next();
                    DataSet actual = prefetched.next();
                    assertThat(actual.getFeatures()).isEqualTo(expected.getFeatures());
                    assertThat(actual.getLabels()).isEqualTo(expected.getLabels());
                }
                assertThat(prefetched.hasNext()).isFalse();
                direct.reset();
                prefetched.reset();
            }
        }
    }

    @Test
    void reusedBuffersKeepTheCurrentAndThePreviousBatchIntact() {
        FashionMnistIterator.Builder builder = FashionMnistIterator.builder().setImages(IMAGES).setBatchSize(5)
                .optPrefetch(2);
        try (FashionMnistIterator reusing = builder.build();
                FashionMnistIterator fresh = builder.optReuseBuffers(false).build()) {
            List<DataSet> kept = new ArrayList<>();
            List<DataSet> keptFresh = new ArrayList<>();
            while (reusing.hasNext()) {
                kept.add(reusing.next());
                keptFresh.add(fresh.next());
                int n = kept.size();
                assertThat(sourceIndices(kept.get(n - 1))[0]).isEqualTo(5 * (n - 1));
                if (n > 1) {
                    assertThat(sourceIndices(kept.get(n - 2))[0]).isEqualTo(5 * (n - 2));
                }
            }
            assertThat(kept).hasSize(21);
            assertThat(sourceIndices(kept.get(20))).containsExactly(100, 101, 102);
            // older batches were overwritten by later ones in the ring of prefetch + 2 = 4 buffers ...
            assertThat(sourceIndices(kept.get(0))[0]).isNotEqualTo(0);
            // ... but not without buffer reuse
            for (int b = 0; b < keptFresh.size(); b++) {
                assertThat(sourceIndices(keptFresh.get(b))[0]).isEqualTo(5 * b);
            }
        }
    }

    @Test
    void nextWithAnotherSizeContinuesWhereTheIteratorWas() {
        try (FashionMnistIterator iterator = FashionMnistIterator.builder().setImages(IMAGES).setBatchSize(10).build()) {
            assertThat(sourceIndices(iterator.next())).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(sourceIndices(iterator.next(3))).containsExactly(10, 11, 12);
            assertThat(sourceIndices(iterator.next())).startsWith(13, 14).hasSize(10);
            assertThat(sourceIndices(iterator.next(200))).hasSize(80).startsWith(23);
            assertThat(iterator.hasNext()).isFalse();
        }
    }

    @Test
    void limitTakesTheFirstImagesBeforeShuffling() {
        try (FashionMnistIterator iterator = FashionMnistIterator.builder().setImages(IMAGES).setBatchSize(4)
                .optLimit(10).optShuffleSeed(1).build()) {
            assertThat(iterator.size()).isEqualTo(10);
            assertThat(epoch(iterator)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
    }

    @Test
    void appliesThePreProcessorToEachBatch() {
        try (FashionMnistIterator iterator = FashionMnistIterator.builder().setImages(IMAGES).setBatchSize(10).build()) {
            iterator.setPreProcessor(batch -> batch.getFeatures().muli(2));

            assertThat(iterator.next().getFeatures().getFloat(1, 0, 0, 3)).isEqualTo(2 * (10 / 255f));
            assertThat(iterator.getPreProcessor()).isNotNull();
        }
    }

    @Test
    void rejectsNonsenseSettingsWithTheValueFound() {
        assertThatThrownBy(() -> FashionMnistIterator.builder().setBatchSize(0))
                .hasMessage("batch size must be at least 1, found 0");
        assertThatThrownBy(() -> FashionMnistIterator.builder().optResize(-3))
                .hasMessage("resize must be at least 1 pixel, found -3");
        assertThatThrownBy(() -> FashionMnistIterator.builder().setBatchSize(3).build())
                .hasMessage("setImages(...) is required");
        assertThatThrownBy(() -> FashionMnistIterator.builder().setImages(IMAGES).build())
                .hasMessage("setBatchSize(...) is required");
    }
}
