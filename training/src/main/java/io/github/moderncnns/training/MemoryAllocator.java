package io.github.moderncnns.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Which C memory allocator this JVM runs on. Why it matters: ND4J and oneDNN allocate and free large native buffers on
 * every training step, and with the C library's malloc each one comes back as fresh pages the kernel must zero; on
 * the development machine that made training 1.4-3.8x slower than with jemalloc told never to return memory
 * ({@code MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1}), for PyTorch as much as for DL4J (docs/performance.md).
 * The allocator must be chosen before the JVM starts ({@code LD_PRELOAD}); the {@code moderncnns} launcher does that
 * when the machine has jemalloc. Run reports and benchmarks say which one was used.
 */
public final class MemoryAllocator {
    private MemoryAllocator() {
    }

    /**
     * @return for example {@code jemalloc (MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1)}, or the C library's
     *         malloc with the hint how to get jemalloc
     */
    public static String describe() {
        if (!jemallocLoaded()) {
            return "the C library's malloc (training up to 3x slower: apt-get install libjemalloc2 and run through "
                    + "./moderncnns, see docs/performance.md)";
        }
        String settings = System.getenv("MALLOC_CONF");
        return "jemalloc (" + (settings == null ? "its default settings, which return memory to the kernel"
                : "MALLOC_CONF=" + settings) + ")";
    }

    /** Whether jemalloc is mapped into this process (Linux; false where /proc is missing). */
    public static boolean jemallocLoaded() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return false;
        }
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.anyMatch(line -> line.contains("libjemalloc"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }
}
