package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporaryDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void closingRemovesTheDirectoryWithEverythingInIt() throws Exception {
        Path path;
        try (TemporaryDirectory work = TemporaryDirectory.createIn(dir, ".work")) {
            path = work.path();
            Files.createDirectories(path.resolve("export/part-0"));
            Files.writeString(path.resolve("export/part-0/batch.bin"), "data");
            assertThat(path.getParent()).isEqualTo(dir);
            assertThat(path.getFileName().toString()).startsWith(".work");
        }
        assertThat(path).doesNotExist();
        assertThat(dir).isEmptyDirectory();
    }
}
