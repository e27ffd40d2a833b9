package io.github.moderncnns.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The split against index lists exported from PyTorch 1.13 by {@code tools/make_data_fixtures.py}. */
class TorchRandomSplitTest {
    @TempDir
    Path dir;

    static List<JsonNode> torchCases() throws Exception {
        try (InputStream in = TorchRandomSplitTest.class.getResourceAsStream("/fixtures/torch-random-split.json")) {
            List<JsonNode> cases = new ArrayList<>();
            new ObjectMapper().readTree(in).get("cases").forEach(cases::add);
            return cases;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("torchCases")
    void matchesTorchRandomSplit(JsonNode torchCase) {
        long seed = torchCase.get("seed").asLong();
        int[] lengths = new int[torchCase.get("lengths").size()];
        Arrays.setAll(lengths, i -> torchCase.get("lengths").get(i).asInt());

        List<int[]> subsets = TorchRandomSplit.split(seed, lengths);

        assertThat(subsets).hasSize(lengths.length);
        for (int s = 0; s < lengths.length; s++) {
            JsonNode expected = torchCase.get("subsets").get(s);
            int[] indices = subsets.get(s);
            assertThat(indices).hasSize(expected.get("count").asInt());
            assertThat(Arrays.copyOf(indices, 10)).containsExactly(ints(expected.get("first")));
            assertThat(Arrays.copyOfRange(indices, indices.length - 10, indices.length))
                    .containsExactly(ints(expected.get("last")));
            assertThat(IdxReader.sha256(TrainValidationSplit.indexText(indices).getBytes(StandardCharsets.US_ASCII)))
                    .isEqualTo(expected.get("sha256").asText());
        }
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        Arrays.setAll(values, i -> array.get(i).asInt());
        return values;
    }

    @Test
    void theNotebookSplitIsAPartitionOfTheTrainingImages() {
        List<int[]> subsets = TorchRandomSplit.split(42, 50_000, 10_000);

        int[] all = IntStream.concat(Arrays.stream(subsets.get(0)), Arrays.stream(subsets.get(1))).sorted().toArray();
        assertThat(all).isEqualTo(IntStream.range(0, 60_000).toArray());
    }

    @Test
    void aSixtyFourBitSeedIsTruncatedAsInPyTorch() {
        assertThat(TorchRandomSplit.randperm(1000, (1L << 40) + 5)).isEqualTo(TorchRandomSplit.randperm(1000, 5));
    }

    @Test
    void splitSizesMustCoverTheSource() {
        ImageSet images = ImageSet.of(new byte[10 * 4], new byte[10], 2);

        assertThatThrownBy(() -> TrainValidationSplit.of(images, 1, 7, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("add up to the 10 images being split")
                .hasMessageContaining("found 7 + 2 = 9");
    }

    @Test
    void writesAuditableIndexFilesAtomically() throws Exception {
        byte[] labels = new byte[123];
        ImageSet images = ImageSet.of(new byte[123], labels, 1);
        TrainValidationSplit split = TrainValidationSplit.of(images, 123, 100, 23);

        List<Path> files = split.writeIndexFiles(dir.resolve("split"));

        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("train-indices.txt", "validation-indices.txt");
        List<String> train = Files.readAllLines(files.get(0));
        assertThat(train).hasSize(100);
        assertThat(train.get(0)).isEqualTo(Integer.toString(split.trainIndices()[0]));
        assertThat(Files.readAllLines(files.get(1))).hasSize(23);
        try (Stream<Path> left = Files.list(dir.resolve("split"))) {
            assertThat(left).hasSize(2);
        }
        assertThat(split.fingerprint()).hasSize(16).isEqualTo(TrainValidationSplit.of(images, 123, 100, 23)
                .fingerprint()).isNotEqualTo(TrainValidationSplit.of(images, 124, 100, 23).fingerprint());
        assertThat(split.train().sourceIndex(5)).isEqualTo(split.trainIndices()[5]);
    }
}
