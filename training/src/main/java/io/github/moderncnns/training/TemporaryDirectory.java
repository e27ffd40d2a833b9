package io.github.moderncnns.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A scratch directory that is removed with everything in it when closed: for the files a benchmark run, a Spark
 * export or a throw-away training run leave behind, so that nothing of them stays on the user's disk.
 *
 * <pre>{@code
 * try (TemporaryDirectory work = TemporaryDirectory.create("moderncnns-benchmark")) {
 *     NotebookTraining.start(spec, work.path().resolve("run"), options);
 * }
 * }</pre>
 */
public final class TemporaryDirectory implements AutoCloseable {
    private final Path path;
    /** Removes the directory when the JVM ends before {@link #close()} (Ctrl-C runs shutdown hooks). */
    private final Thread onExit;

    private TemporaryDirectory(Path path) {
        this.path = path;
        this.onExit = new Thread(() -> deleteRecursively(path), "remove " + path);
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /**
     * @param prefix the start of the directory's name
     * @return a new directory under the system's temporary directory
     * @throws IOException if it cannot be created
     */
    public static TemporaryDirectory create(String prefix) throws IOException {
        return new TemporaryDirectory(Files.createTempDirectory(prefix));
    }

    /**
     * @param parent the directory to create it in
     * @param prefix the start of the directory's name
     * @return a new directory in {@code parent}
     * @throws IOException if it cannot be created
     */
    public static TemporaryDirectory createIn(Path parent, String prefix) throws IOException {
        return new TemporaryDirectory(Files.createTempDirectory(parent, prefix));
    }

    /** The directory. */
    public Path path() {
        return path;
    }

    /** Removes the directory and everything in it. */
    @Override
    public void close() {
        deleteRecursively(path);
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway, on a directory that is gone
        }
    }

    /**
     * Removes a directory and everything in it, if it exists.
     *
     * @param directory the directory
     * @throws UncheckedIOException if something cannot be removed
     */
    public static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + directory, e);
        }
    }
}
