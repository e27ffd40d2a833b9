package io.github.moderncnns.data;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads the four official Fashion-MNIST files over HTTPS into a directory, safely: each file goes to a temporary
 * file that is validated ({@link IdxReader}) and checked against the official SHA-256 of its decompressed content
 * before it is renamed into place, so the directory never holds a partial or wrong file. Failed attempts are
 * retried with a growing pause.
 */
public final class FashionMnistDownloader {
    /** Zalando Research's published copy of the files (the {@code data/fashion} folder of their repository). */
    public static final URI OFFICIAL_BASE_URI =
            URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/");

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnistDownloader.class);

    private final URI baseUri;
    private final int attempts;
    private final Duration timeout;
    private final Duration retryPause;
    private final HttpClient client;

    private FashionMnistDownloader(Builder builder) {
        this.baseUri = builder.baseUri;
        this.attempts = builder.attempts;
        this.timeout = builder.timeout;
        this.retryPause = builder.retryPause;
        this.client = HttpClient.newBuilder()
                .connectTimeout(builder.timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** A downloader from the official location with default settings. */
    public static FashionMnistDownloader official() {
        return builder().build();
    }

    /** A builder; every setting is optional. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link FashionMnistDownloader}. */
    public static final class Builder {
        private URI baseUri = OFFICIAL_BASE_URI;
        private int attempts = 3;
        private Duration timeout = Duration.ofSeconds(30);
        private Duration retryPause = Duration.ofSeconds(1);

        private Builder() {
        }

        /**
         * Downloads from a mirror instead of the official location.
         *
         * @param baseUri the location the four {@code .gz} file names are resolved against (ends with {@code /})
         * @return this builder
         */
        public Builder optBaseUri(URI baseUri) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
            return this;
        }

        /**
         * @param attempts how many times each file is tried, at least 1 (default 3)
         * @return this builder
         */
        public Builder optAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1, found " + attempts);
            }
            this.attempts = attempts;
            return this;
        }

        /**
         * @param timeout the connection and request timeout (default 30 s)
         * @return this builder
         */
        public Builder optTimeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * @param retryPause the pause before the second attempt, doubled before each further one (default 1 s)
         * @return this builder
         */
        public Builder optRetryPause(Duration retryPause) {
            this.retryPause = Objects.requireNonNull(retryPause, "retryPause");
            return this;
        }

        /** The downloader. */
        public FashionMnistDownloader build() {
            return new FashionMnistDownloader(this);
        }
    }

    /** Where the files come from. */
    public URI baseUri() {
        return baseUri;
    }

    /**
     * Downloads every file that {@code directory} does not hold yet.
     *
     * @param directory where the files go; created if needed
     * @throws DatasetException if the directory cannot be written or a file cannot be downloaded and verified
     */
    public void downloadMissing(Path directory) throws DatasetException {
        createDirectory(directory);
        for (FashionMnistFile file : FashionMnistFile.values()) {
            if (FashionMnistLocator.find(directory, file).isEmpty()) {
                download(directory, file);
            }
        }
    }

    /**
     * Downloads one file into {@code directory} as {@code <name>.gz}, replacing any existing one only once the new
     * one is verified.
     *
     * @param directory where the file goes; created if needed
     * @param file which file
     * @return the downloaded file
     * @throws DatasetException if every attempt failed; the message gives the last error
     */
    public Path download(Path directory, FashionMnistFile file) throws DatasetException {
        createDirectory(directory);
        URI uri = baseUri.resolve(file.gzipFileName());
        Path target = directory.resolve(file.gzipFileName());
        Exception lastError = null;
        Duration pause = retryPause;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                downloadOnce(uri, target, file);
                LOG.info("Downloaded {} to {}", uri, target);
                return target;
            } catch (IOException | DatasetException e) {
                lastError = e;
                LOG.warn("Attempt {}/{} to download {} failed: {}", attempt, attempts, uri, e.getMessage());
            }
            if (attempt < attempts) {
                sleep(pause);
                pause = pause.multipliedBy(2);
            }
        }
        throw new DatasetException(target, "download from " + uri + " failed after " + attempts + " attempt(s): "
                + lastError.getMessage(), "check the network connection, or provide the file yourself "
                + "(see FMNIST_HOME and the Debian package dataset-fashion-mnist).", lastError);
    }

    private void downloadOnce(URI uri, Path target, FashionMnistFile file) throws IOException, DatasetException {
        Path temporary = AtomicFiles.createTemporary(target.getParent(), target);
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
            HttpResponse<Path> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofFile(temporary));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (response.statusCode() != 200) {
                throw new IOException("HTTP status " + response.statusCode() + " (expected 200)");
            }
            IdxFile content = IdxReader.read(temporary, file.holdsImages() ? IdxReader.IMAGES_MAGIC
                    : IdxReader.LABELS_MAGIC);
            if (!content.sha256().equals(file.sha256())) {
                throw new ChecksumMismatchException(target, file.sha256(), content.sha256());
            }
            AtomicFiles.moveIntoPlace(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void createDirectory(Path directory) throws DatasetException {
        try {
            Files.createDirectories(directory);
            if (!Files.isWritable(directory)) {
                throw new IOException("not writable");
            }
        } catch (IOException e) {
            throw new DatasetException(directory, "cannot create or write the download directory (" + e + ").",
                    "choose a writable directory (set " + FashionMnistLocator.ENV_VARIABLE
                            + " or pass the directory explicitly), or install the Debian package dataset-fashion-mnist.",
                    e);
        }
    }

    private static void sleep(Duration pause) throws DatasetException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException(null, "download interrupted.", "run it again.", e);
        }
    }
}
