package io.github.moderncnns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

/** The one-line failure messages: file-system errors get their meaning, nothing says "null". */
class ModernCnnsTest {
    @Test
    void fileSystemErrorsSayWhatTheyMean() {
        assertThat(ModernCnns.describe(new NoSuchFileException("/data/x"))).isEqualTo("/data/x: no such file or "
                + "directory");
        assertThat(ModernCnns.describe(new AccessDeniedException("/runs"))).isEqualTo("/runs: permission denied");
        assertThat(ModernCnns.describe(new NotDirectoryException("/runs/a"))).isEqualTo("/runs/a: is a file, not a "
                + "directory");
        assertThat(ModernCnns.describe(new DirectoryNotEmptyException("/out"))).isEqualTo("/out: directory not empty");
        assertThat(ModernCnns.describe(new FileAlreadyExistsException("/out"))).isEqualTo("/out: already exists");
        assertThat(ModernCnns.describe(new FileAlreadyExistsException("/out", null, "choose another")))
                .isEqualTo("/out: choose another");
    }

    @Test
    void aMissingMessageNamesTheExceptionInsteadOfNull() {
        assertThat(ModernCnns.describe(new NullPointerException())).isEqualTo("NullPointerException (no message)");
        assertThat(ModernCnns.describe(new IOException((String) null))).isEqualTo("IOException (no message)");
        assertThat(ModernCnns.describe(new IllegalStateException("boom"))).isEqualTo("IllegalStateException: boom");
    }

    @Test
    void outOfMemoryNamesWhatRanOutAndWhatHelps() {
        assertThat(ModernCnns.describe(new RuntimeException(new OutOfMemoryError("Java heap space"))))
                .startsWith("out of memory: the Java heap is full").contains("MODERNCNNS_HEAP");
        assertThat(ModernCnns.describe(new OutOfMemoryError("Cannot allocate new LongPointer(1): totalBytes = 12G,"
                + " physicalBytes = 18G"))).startsWith("out of memory: ND4J could not allocate its arrays")
                .contains("MODERNCNNS_OFFHEAP");
    }
}
