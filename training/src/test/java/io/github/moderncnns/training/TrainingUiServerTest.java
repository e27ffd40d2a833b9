package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training UI is locked down: it listens on the loopback address only (as the operating system reports), reads
 * no request body and stores nothing, answers only GET and HEAD, and serves assets from the class path only.
 */
class TrainingUiServerTest {
    @TempDir
    static Path dir;
    private static TrainingUiServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        server = TrainingUi.serve(TrainingUi.record(dir.resolve("run"), 1).storage(), TrainingUi.Address.loopback(0));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void theListeningSocketIsBoundToTheLoopbackAddressOnly() throws Exception {
        // /proc/net/tcp{,6} list local addresses in hex: 127.0.0.1 is 0100007F, or ::ffff:127.0.0.1 on a dual-stack
        // socket; state 0A is LISTEN
        String port = String.format(Locale.ROOT, "%04X", server.getPort());
        List<String> listening = Stream.of("/proc/net/tcp", "/proc/net/tcp6").flatMap(TrainingUiServerTest::lines)
                .map(String::trim).map(line -> line.split("\\s+"))
                .filter(f -> f.length > 3 && f[1].endsWith(":" + port) && f[3].equals("0A")).map(f -> f[1]).toList();

        assertThat(listening).isNotEmpty().allMatch(address -> address.equals("0100007F:" + port)
                || address.equals("0000000000000000FFFF00000100007F:" + port));
        assertThat(server.getAddress()).isEqualTo("http://localhost:" + server.getPort());
        assertThat(TrainingUi.announce(server)).endsWith("/train/overview (this machine only)");
    }

    private static Stream<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file)).stream().skip(1);
        } catch (IOException e) {
            return Stream.empty(); // no IPv6 on this machine
        }
    }

    @Test
    void theOverviewStillServesItsPageDataAndAssets() throws Exception {
        assertThat(get("/train/overview").body()).contains("<html");
        assertThat(get("/train/overview/data").statusCode()).isEqualTo(200);
        HttpResponse<String> asset = get("/assets/js/train/overview.js");
        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .contains("javascript"));
        assertThat(get("/").statusCode()).as("redirect to the overview").isIn(200, 301, 302, 303, 307);
    }

    @Test
    void aMultipartUploadIsRefusedAndNothingIsStored() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = uploadDirectories(tmp);
        String boundary = "----moderncnns";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + "x".repeat(1 << 20) + "\r\n--" + boundary
                + "--\r\n";
        for (String path : List.of("/", "/train/overview", "/tsne/upload", "/remoteReceive", "/assets/x")) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.getAddress() + path))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("POST " + path).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(server.getAddress() + "/train"))
                .PUT(HttpRequest.BodyPublishers.ofString("data")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);

        assertThat(uploadDirectories(tmp)).isEqualTo(before);
    }

    @Test
    void aGetWithABodyIsRefused() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.getAddress()
                + "/train/overview")).method("GET", HttpRequest.BodyPublishers.ofString("x".repeat(1000))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void hugeRequestLinesAndHeadersAreRefused() throws Exception {
        // Vert.x 3.9 answers 431 to an overlong request line too (Netty's too-long-frame error)
        assertThat(get("/train/" + "a".repeat(10_000)).statusCode()).isIn(414, 431);
        HttpResponse<String> headers = HTTP.send(HttpRequest.newBuilder(URI.create(server.getAddress()
                + "/train/overview")).header("X-Big", "b".repeat(20_000)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(headers.statusCode()).as("Vert.x 3.9 answers 400 to oversized headers").isIn(400, 431);
        assertThat(headers.body()).doesNotContain("<html");
    }

    @Test
    void assetsComeFromTheClassPathOnly() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "secret");
        for (String path : List.of("/assets/../../../../../../.." + secret, "/assets/%2e%2e/%2e%2e" + secret,
                "/assets/webjars/../../../../etc/passwd", "/assets/" + secret, "/assets/..%2f..%2fpom.xml")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).doesNotContain("secret").doesNotContain("root:");
        }
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            var recording = TrainingUi.record(dir.resolve("busy"), 1);
            assertThatThrownBy(() -> TrainingUi.serve(recording.storage(), TrainingUi.Address.loopback(port)))
                    .isInstanceOf(TrainingUi.UiPortInUseException.class)
                    .hasMessageStartingWith("cannot start the DL4J training UI: cannot listen on 127.0.0.1:" + port
                            + " (")
                    .hasMessageEndingWith("); choose another port (moderncnns: --ui-port for train, --port for ui)");
        }
        assertThatThrownBy(() -> new TrainingUi.Address("127.0.0.1", 70_000))
                .hasMessage("the UI port must be between 0 (any free port) and 65535, found 70000");
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.getAddress() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static List<Path> uploadDirectories(Path tmp) throws IOException {
        try (Stream<Path> entries = Files.list(tmp)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("DL4JUI_")).sorted().toList();
        }
    }
}
