package io.github.moderncnns.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds a directory that holds the four Fashion-MNIST files, looking in this order:
 * <ol>
 *   <li>the {@code FMNIST_HOME} environment variable,</li>
 *   <li>the cache {@code ~/.deeplearning4j/data/fashion-mnist} (where {@link FashionMnistDownloader} puts them),</li>
 *   <li>{@code /usr/share/datasets/fashion-mnist}, where the Debian/Ubuntu package {@code dataset-fashion-mnist}
 *       installs them.</li>
 * </ol>
 * An explicit directory, when the caller gives one, is the only place looked at: a user who names a directory means
 * that one. Each file may be gzip-compressed ({@code train-images-idx3-ubyte.gz}, as published) or not.
 */
public final class FashionMnistLocator {
    /** The environment variable that points at a directory holding the files. */
    public static final String ENV_VARIABLE = "FMNIST_HOME";
    /** Where the Debian/Ubuntu package {@code dataset-fashion-mnist} installs the files. */
    public static final Path DEBIAN_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");
    /** The download cache, relative to the user's home directory (DL4J's usual data cache). */
    public static final String CACHE_SUBDIRECTORY = ".deeplearning4j/data/fashion-mnist";

    /**
     * A place the files may be in.
     *
     * @param origin where the place comes from: {@code explicit}, {@code FMNIST_HOME}, {@code cache} or
     *               {@code debian-package}
     * @param directory the directory
     */
    public record Candidate(String origin, Path directory) {
        /** Whether all four files are in the directory (compressed or not). */
        public boolean isComplete() {
            return missingFiles().isEmpty();
        }

        /** The files this directory lacks. */
        public List<FashionMnistFile> missingFiles() {
            List<FashionMnistFile> missing = new ArrayList<>();
            for (FashionMnistFile file : FashionMnistFile.values()) {
                if (find(directory, file).isEmpty()) {
                    missing.add(file);
                }
            }
            return missing;
        }

        @Override
        public String toString() {
            return directory + " (" + origin + ")";
        }
    }

    private final Path explicitDirectory;
    private final Map<String, String> environment;
    private final Path userHome;
    private final Path systemDirectory;

    /**
     * @param explicitDirectory a directory the user named, or {@code null} to search
     * @param environment the environment variables to read {@link #ENV_VARIABLE} from
     * @param userHome the user's home directory, for the cache
     * @param systemDirectory the system-wide directory, normally {@link #DEBIAN_DIRECTORY}
     */
    public FashionMnistLocator(Path explicitDirectory, Map<String, String> environment, Path userHome,
            Path systemDirectory) {
        this.explicitDirectory = explicitDirectory;
        this.environment = Map.copyOf(environment);
        this.userHome = Objects.requireNonNull(userHome, "userHome");
        this.systemDirectory = Objects.requireNonNull(systemDirectory, "systemDirectory");
    }

    /**
     * A locator reading this process's environment and {@code user.home}.
     *
     * @param explicitDirectory a directory the user named, or {@code null} to search
     * @return the locator
     */
    public static FashionMnistLocator standard(Path explicitDirectory) {
        return new FashionMnistLocator(explicitDirectory, System.getenv(), Path.of(System.getProperty("user.home")),
                DEBIAN_DIRECTORY);
    }

    /** The places looked at, in order. */
    public List<Candidate> candidates() {
        if (explicitDirectory != null) {
            return List.of(new Candidate("explicit", explicitDirectory));
        }
        List<Candidate> candidates = new ArrayList<>();
        String home = environment.get(ENV_VARIABLE);
        if (home != null && !home.isBlank()) {
            candidates.add(new Candidate(ENV_VARIABLE, Path.of(home)));
        }
        candidates.add(new Candidate("cache", cacheDirectory()));
        candidates.add(new Candidate("debian-package", systemDirectory));
        return candidates;
    }

    /** The first place that holds all four files, if any. */
    public Optional<Candidate> locate() {
        return candidates().stream().filter(Candidate::isComplete).findFirst();
    }

    /** Where downloads go: the explicit directory if there is one, otherwise the cache under the home directory. */
    public Path downloadDirectory() {
        return explicitDirectory != null ? explicitDirectory : cacheDirectory();
    }

    private Path cacheDirectory() {
        return userHome.resolve(CACHE_SUBDIRECTORY);
    }

    /**
     * The file in {@code directory}: the gzip-compressed name if present, otherwise the plain one.
     *
     * @param directory the directory to look in
     * @param file which file
     * @return its path, if it exists as a regular file
     */
    public static Optional<Path> find(Path directory, FashionMnistFile file) {
        for (String name : List.of(file.gzipFileName(), file.fileName())) {
            Path path = directory.resolve(name);
            if (Files.isRegularFile(path)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }
}
