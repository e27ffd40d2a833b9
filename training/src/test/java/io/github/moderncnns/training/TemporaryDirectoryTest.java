package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporaryDirectoryTest {
    /** A JVM that makes a scratch directory and waits to be interrupted: {@code Child <parent>}. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            TemporaryDirectory work = TemporaryDirectory.createIn(Path.of(args[0]), ".work");
            Files.writeString(work.path().resolve("part.bin"), "data");
            System.out.println(work.path());
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    /** Ctrl-C (SIGINT) and kill (SIGTERM) run shutdown hooks: the scratch directory goes with the JVM. */
    @Test
    void anInterruptedJvmRemovesItsScratchDirectoryToo() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Child.class.getName(), dir.toString()).start();
        Path created;
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
            created = Path.of(out.readLine());
            assertThat(created.resolve("part.bin")).exists();
            child.destroy(); // SIGTERM
            assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        assertThat(created).doesNotExist();
        assertThat(dir).isEmptyDirectory();
    }

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
