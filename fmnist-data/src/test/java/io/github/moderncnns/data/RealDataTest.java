package io.github.moderncnns.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.dataset.DataSet;

/** Facts about the real dataset, as users load it (required in CI: {@code -Dfmnist.requireRealData=true}). */
class RealDataTest {
    @Test
    void hasTheOfficialCountsClassesAndContent() {
        FashionMnist data = RealData.dataset();

        assertThat(data.train().size()).isEqualTo(60_000);
        assertThat(data.test().size()).isEqualTo(10_000);
        assertThat(data.train().classCounts()).containsOnly(6_000);
        assertThat(data.test().classCounts()).containsOnly(1_000);
        assertThat(Arrays.copyOf(data.train().labels(), 10)).containsExactly(9, 0, 0, 3, 0, 2, 7, 2, 5, 5);
        assertThat(data.provenance().isOfficial()).isTrue();
        assertThat(data.provenance().files()).hasSize(4);
    }

    @Test
    void theNotebookSplitIsPyTorchsIndexForIndex() throws Exception {
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/torch-random-split.json")) {
            expected = new ObjectMapper().readTree(in).get("cases").get(0);
        }
        assertThat(expected.get("seed").asLong()).isEqualTo(42);

        TrainValidationSplit split = RealData.dataset().split(42);

        assertThat(split.train().size()).isEqualTo(50_000);
        assertThat(split.validation().size()).isEqualTo(10_000);
        assertThat(sha(split.trainIndices())).isEqualTo(expected.get("subsets").get(0).get("sha256").asText());
        assertThat(sha(split.validationIndices())).isEqualTo(expected.get("subsets").get(1).get("sha256").asText());
        assertThat(split.train().label(0)).isEqualTo(RealData.dataset().train().label(37542));
    }

    private static String sha(int[] indices) {
        return IdxReader.sha256(TrainValidationSplit.indexText(indices).getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "side {0}")
    @ValueSource(ints = {28, 96, 224})
    void batchesHaveTheDocumentedShapeAndRange(int side) {
        FashionMnist data = RealData.dataset();
        FashionMnistIterators iterators = FashionMnistIterators.create(data, 64, side == 28 ? 0 : side, 42, 200);
        try (iterators) {
            DataSet batch = iterators.train().next();

            assertThat(batch.getFeatures().shape()).containsExactly(64, 1, side, side);
            assertThat(batch.getLabels().shape()).containsExactly(64, 10);
            assertThat(batch.getFeatures().minNumber().floatValue()).isGreaterThanOrEqualTo(0f);
            assertThat(batch.getFeatures().maxNumber().floatValue()).isLessThanOrEqualTo(1f).isGreaterThan(0.9f);
            assertThat(batch.getLabels().sum(1).toFloatVector()).containsOnly(1f);
            assertThat(iterators.validation().size()).isEqualTo(200);
            assertThat(iterators.test().batchesPerEpoch()).isEqualTo(4);
        }
    }

    @Test
    void resizedBatchesEqualTorchvisionOnTheRealImages() {
        ResizeFixture fixture = ResizeFixture.load();
        FashionMnist data = RealData.dataset();
        int count = (int) fixture.images().stream().filter(i -> !i.test()).count();
        for (int s = 0; s < fixture.sizes().length; s++) {
            int side = fixture.sizes()[s];
            try (FashionMnistIterator iterator = FashionMnistIterator.builder().setImages(data.train())
                    .setBatchSize(count).optResize(side).build()) {
                DataSet batch = iterator.next();
                for (ResizeFixture.Image image : fixture.images()) {
                    if (image.test()) {
                        continue;
                    }
                    assertThat(image.source()).isEqualTo(data.train().image(image.index()));
                    float[] actual = batch.getFeatures().slice(image.index()).dup().data().asFloat();
                    byte[] expected = image.resized().get(s);
                    for (int p = 0; p < actual.length; p++) {
                        assertThat(actual[p]).isEqualTo((expected[p] & 0xff) / 255f);
                    }
                }
            }
        }
    }
}
