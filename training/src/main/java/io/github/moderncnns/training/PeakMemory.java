package io.github.moderncnns.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's peak resident memory (Linux {@code VmHWM}), which counts ND4J's off-heap arrays as well as the Java
 * heap: what a user must have free. {@link #reset()} starts a new peak, so that each network of a lab gets its own
 * (the Java heap the JVM already holds still counts). Elsewhere than on Linux nothing is known.
 */
public final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private PeakMemory() {
    }

    /** Starts a new peak from the current resident size, where the OS allows it. */
    public static void reset() {
        try {
            Files.writeString(CLEAR_REFS, "5"); // 5: reset the peak resident set size (proc(5))
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not Linux, or not allowed: the peak then covers the process's whole life, which is still an upper bound
        }
    }

    /** @return the peak resident size in bytes since the start or the last {@link #reset()}, if known */
    public static OptionalLong bytes() {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmHWM:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
