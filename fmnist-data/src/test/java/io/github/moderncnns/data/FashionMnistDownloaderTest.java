package io.github.moderncnns.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The downloader against a mirror on loopback that serves the real files (from the Debian package), broken files,
 * and errors.
 */
class FashionMnistDownloaderTest {
    @TempDir
    Path dir;

    private HttpServer server;
    /** What the server answers per file name: the bytes, or null for 404. */
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    /** How many requests fail with HTTP 503 before the file is served. */
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startMirror() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fashion/", exchange -> {
            requests.incrementAndGet();
            String name = exchange.getRequestURI().getPath().substring("/fashion/".length());
            byte[] body = served.get(name);
            int status = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : body == null ? 404 : 200;
            if (status == 200) {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(status, -1);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopMirror() {
        server.stop(0);
    }

    private FashionMnistDownloader downloader(int attempts) {
        return FashionMnistDownloader.builder()
                .optBaseUri(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/fashion/"))
                .optAttempts(attempts).optRetryPause(Duration.ofMillis(10)).optTimeout(Duration.ofSeconds(10))
                .build();
    }

    private void serveRealFiles() throws IOException {
        Path source = RealData.dataset().provenance().directory();
        for (FashionMnistFile file : FashionMnistFile.values()) {
            served.put(file.gzipFileName(), Files.readAllBytes(FashionMnistLocator.find(source, file).orElseThrow()));
        }
    }

    private String[] filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void downloadsVerifiesAndLoadsTheRealFilesIntoAnEmptyExplicitDirectory() throws Exception {
        serveRealFiles();
        failuresLeft.set(1); // the first request fails and is retried
        Path target = dir.resolve("data");

        FashionMnist data = FashionMnist.loader().optDirectory(target).optDownloader(downloader(3)).load();

        assertThat(data.provenance().origin()).isEqualTo("downloaded");
        assertThat(data.provenance().directory()).isEqualTo(target);
        assertThat(data.provenance().isOfficial()).isTrue();
        assertThat(data.train().size()).isEqualTo(60_000);
        assertThat(filesIn(target)).containsExactly("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
        assertThat(requests.get()).isEqualTo(5);

        FashionMnist again = FashionMnist.loader().optDirectory(target).optDownloader(downloader(3)).load();
        assertThat(again.provenance().origin()).isEqualTo("explicit");
        assertThat(requests.get()).as("nothing downloaded twice").isEqualTo(5);
    }

    @Test
    void aTruncatedDownloadIsRejectedAndLeavesNothingBehind() throws Exception {
        serveRealFiles();
        byte[] labels = served.get("train-labels-idx1-ubyte.gz");
        served.put("train-labels-idx1-ubyte.gz", Arrays.copyOf(labels, labels.length - 1000));
        Path target = dir.resolve("cache");

        assertThatThrownBy(() -> downloader(2).download(target, FashionMnistFile.TRAIN_LABELS))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("train-labels-idx1-ubyte.gz failed after 2 attempt(s)")
                .hasMessageContaining("not a valid gzip stream");
        assertThat(filesIn(target)).isEmpty();
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void aFileWithTheWrongContentIsRejectedByChecksum() throws Exception {
        served.put("t10k-labels-idx1-ubyte.gz", SyntheticIdx.gzip(SyntheticIdx.labels(10_000)));
        Path target = dir.resolve("cache");

        assertThatThrownBy(() -> downloader(1).download(target, FashionMnistFile.TEST_LABELS))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("expected " + FashionMnistFile.TEST_LABELS.sha256() + ", found "
                        + IdxReader.sha256(SyntheticIdx.labels(10_000)));
        assertThat(filesIn(target)).isEmpty();
    }

    @Test
    void httpErrorsAreRetriedThenReportedWithTheStatus() throws Exception {
        Path target = dir.resolve("cache");

        assertThatThrownBy(() -> downloader(3).download(target, FashionMnistFile.TEST_IMAGES))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(target.resolve("t10k-images-idx3-ubyte.gz").toString())
                .hasMessageContaining("failed after 3 attempt(s): HTTP status 404 (expected 200)")
                .hasMessageContaining("Fix: check the network connection");
        assertThat(requests.get()).isEqualTo(3);
        assertThat(filesIn(target)).isEmpty();
    }

    @Test
    void anExistingFileIsReplacedOnlyByAVerifiedOne() throws Exception {
        Path target = dir.resolve("cache");
        Path existing = SyntheticIdx.write(target.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {42});
        served.put("t10k-labels-idx1-ubyte.gz", new byte[] {1, 2, 3});

        assertThatThrownBy(() -> downloader(1).download(target, FashionMnistFile.TEST_LABELS))
                .isInstanceOf(DatasetException.class);
        assertThat(Files.readAllBytes(existing)).containsExactly(42);
        assertThat(filesIn(target)).containsExactly("t10k-labels-idx1-ubyte.gz");
    }
}
