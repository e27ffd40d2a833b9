package io.github.moderncnns.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsRawImagesAndComputesTheDigestOfTheWholeFile() throws Exception {
        byte[] raw = SyntheticIdx.images(3);
        Path file = SyntheticIdx.write(dir.resolve("images"), raw);

        IdxFile idx = IdxReader.readImages(file);

        assertThat(idx.count()).isEqualTo(3);
        assertThat(idx.rows()).isEqualTo(28);
        assertThat(idx.cols()).isEqualTo(28);
        assertThat(idx.gzipped()).isFalse();
        assertThat(idx.holdsImages()).isTrue();
        assertThat(idx.payload()).hasSize(3 * 784).isEqualTo(Arrays.copyOfRange(raw, 16, raw.length));
        assertThat(idx.sha256()).isEqualTo(IdxReader.sha256(raw)).hasSize(64);
    }

    @Test
    void detectsGzipByContentNotByName() throws Exception {
        byte[] raw = SyntheticIdx.labels(25);
        Path gzipWithoutSuffix = SyntheticIdx.write(dir.resolve("labels"), SyntheticIdx.gzip(raw));
        Path rawWithGzSuffix = SyntheticIdx.write(dir.resolve("labels.gz"), raw);

        IdxFile fromGzip = IdxReader.readLabels(gzipWithoutSuffix);
        IdxFile fromRaw = IdxReader.readLabels(rawWithGzSuffix);

        assertThat(fromGzip.gzipped()).isTrue();
        assertThat(fromRaw.gzipped()).isFalse();
        assertThat(fromGzip.payload()).isEqualTo(fromRaw.payload());
        assertThat(fromGzip.sha256()).isEqualTo(fromRaw.sha256());
        assertThat(fromGzip.payload()[13]).isEqualTo((byte) 3);
    }

    @Test
    void rejectsALabelFileWhereImagesAreExpected() {
        Path file = SyntheticIdx.write(dir.resolve("labels"), SyntheticIdx.labels(4));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining("expected the IDX image magic number 2051 (images), found 2049 (labels)")
                .hasMessageContaining("Fix: replace the file");
    }

    @Test
    void rejectsAForeignMagicNumber() {
        byte[] bytes = SyntheticIdx.images(1);
        bytes[2] = 0x0d; // float type
        Path file = SyntheticIdx.write(dir.resolve("images"), bytes);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("found 3331 (0xd03, not a Fashion-MNIST IDX file)");
    }

    @Test
    void rejectsImagesThatAreNot28By28() {
        Path file = SyntheticIdx.write(dir.resolve("images"), SyntheticIdx.images(2, 32, 32));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("expected 28x28 images, found 32x32");
    }

    @Test
    void rejectsATruncatedFile() {
        byte[] full = SyntheticIdx.images(2);
        Path file = SyntheticIdx.write(dir.resolve("images"), Arrays.copyOf(full, full.length - 100));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("the header announces 2 images, so the file must be 1584 bytes long; "
                        + "found 1484 bytes (truncated)");
    }

    @Test
    void rejectsATruncatedGzipFileByItsDecompressedLength() {
        byte[] full = SyntheticIdx.images(2);
        Path file = SyntheticIdx.write(dir.resolve("images.gz"), SyntheticIdx.gzip(Arrays.copyOf(full, 1000)));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("so the decompressed file must be 1584 bytes long; found 1000 bytes (truncated)");
    }

    @Test
    void rejectsExtraBytesAtTheEnd() {
        byte[] full = SyntheticIdx.labels(5);
        Path file = SyntheticIdx.write(dir.resolve("labels"), Arrays.copyOf(full, full.length + 3));

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("must be 13 bytes long; found 16 bytes (extra data at the end)");
    }

    @Test
    void rejectsAHeaderShorterThanTheFormatNeeds() {
        Path file = SyntheticIdx.write(dir.resolve("images"), new byte[] {0, 0, 8, 3, 0, 0});

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("an IDX image file has a 16-byte header, found only 6 bytes in total (truncated)");
    }

    @Test
    void rejectsLabelTen() {
        byte[] bytes = SyntheticIdx.labels(12);
        bytes[8 + 11] = 10;
        Path file = SyntheticIdx.write(dir.resolve("labels"), bytes);

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("labels must be 0 to 9, found 10 at index 11");
    }

    @Test
    void rejectsANegativeCount() {
        byte[] bytes = SyntheticIdx.labels(0);
        ByteBuffer.wrap(bytes).putInt(4, -5);
        Path file = SyntheticIdx.write(dir.resolve("labels"), bytes);

        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("expected a non-negative label count, found 4294967291");
    }

    @Test
    void rejectsCorruptGzip() {
        byte[] gz = SyntheticIdx.gzip(SyntheticIdx.images(3));
        Path file = SyntheticIdx.write(dir.resolve("images.gz"), Arrays.copyOf(gz, gz.length / 2));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("starts like a gzip file but is not a valid gzip stream")
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void reportsAMissingFileWithItsPath() {
        Path missing = dir.resolve("nowhere/train-images-idx3-ubyte.gz");

        assertThatThrownBy(() -> IdxReader.readImages(missing))
                .isInstanceOf(DatasetException.class)
                .hasMessage(missing + ": file not found. Fix: check the path, or let the loader locate or download "
                        + "the dataset.")
                .satisfies(e -> assertThat(((DatasetException) e).file()).contains(missing));
    }
}
