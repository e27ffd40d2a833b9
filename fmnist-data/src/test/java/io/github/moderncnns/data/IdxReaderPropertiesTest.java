package io.github.moderncnns.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random corruptions of valid IDX files, plain and gzipped: the reader either reads a file (a changed pixel is still
 * a valid file) or throws its documented {@link DatasetException}; never another exception, never a hang.
 */
class IdxReaderPropertiesTest {
    private static final byte[] IMAGES = SyntheticIdx.images(12);
    private static final byte[] LABELS = SyntheticIdx.labels(12);
    private static Path dir;

    @BeforeContainer
    static void directory() throws Exception {
        dir = Files.createTempDirectory("idx-properties");
    }

    @AfterContainer
    static void clean() throws Exception {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    @Property(tries = 300)
    void aTruncatedFileIsADatasetException(@ForAll boolean images, @ForAll boolean gzipped,
            @ForAll @IntRange(min = 0, max = 10_000) int keepPermille) throws Exception {
        byte[] valid = content(images, gzipped);
        int keep = (int) ((long) valid.length * keepPermille / 10_000);
        assertReadsOrRefuses(Arrays.copyOf(valid, Math.min(keep, valid.length - 1)), images, true);
    }

    @Property(tries = 500)
    void changedBytesAreReadOrADatasetException(@ForAll boolean images, @ForAll boolean gzipped,
            @ForAll @IntRange(min = 0, max = 1_000_000) int where, @ForAll byte value,
            @ForAll @IntRange(min = 1, max = 8) int count) throws Exception {
        byte[] corrupt = content(images, gzipped).clone();
        for (int i = 0; i < count; i++) {
            corrupt[(where + i * 7919) % corrupt.length] = (byte) (value + i);
        }
        assertReadsOrRefuses(corrupt, images, false);
    }

    @Property(tries = 200)
    void anyHeaderValuesAreReadOrADatasetException(@ForAll int magic, @ForAll int count, @ForAll int rows,
            @ForAll int cols) throws Exception {
        byte[] corrupt = IMAGES.clone();
        java.nio.ByteBuffer.wrap(corrupt).putInt(magic).putInt(count).putInt(rows).putInt(cols);
        assertReadsOrRefuses(corrupt, true, false);
    }

    @Example
    void aGzipBombIsRefusedWithoutExhaustingMemory() throws Exception {
        byte[] huge = new byte[(int) IdxReader.MAX_BYTES + 1024]; // zeros compress to ~100 KB
        Path bomb = SyntheticIdx.write(dir.resolve("bomb.gz"), SyntheticIdx.gzip(huge));
        assertThatThrownBy(() -> IdxReader.readImages(bomb)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("decompresses to more than " + IdxReader.MAX_BYTES + " bytes");
    }

    private static byte[] content(boolean images, boolean gzipped) {
        byte[] raw = images ? IMAGES : LABELS;
        return gzipped ? SyntheticIdx.gzip(raw) : raw;
    }

    private static void assertReadsOrRefuses(byte[] bytes, boolean images, boolean mustRefuse) throws Exception {
        Path file = Files.write(Files.createTempFile(dir, "corrupt", ".idx"), bytes);
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                if (images) {
                    IdxReader.readImages(file);
                } else {
                    IdxReader.readLabels(file);
                }
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Throwable thrown = outcome.get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS); // no hang
        Files.delete(file);
        if (mustRefuse) {
            assertThat(thrown).isInstanceOf(DatasetException.class);
        } else if (thrown != null) {
            assertThat(thrown).as("only the documented exception").isInstanceOf(DatasetException.class);
        }
        if (thrown != null) {
            assertThat(thrown.getMessage()).contains(file.toString()).doesNotContain("null");
        }
    }
}
