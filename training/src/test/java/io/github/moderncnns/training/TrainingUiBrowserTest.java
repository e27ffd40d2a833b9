package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.moderncnns.architectures.BatchNormLeNet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DL4J training UI in a real browser: a short training run records statistics and serves them, headless
 * Chromium renders the overview page, and the page's own data endpoint has the score chart's points. Without
 * Chromium the test is skipped, unless {@code -Dmoderncnns.requireBrowser=true} (CI) makes that a failure.
 */
class TrainingUiBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    @Test
    void theOverviewPageShowsTheScoreChartOfARun() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            String message = CHROMIUM + " is missing: apt-get install chromium";
            assertThat(Boolean.getBoolean("moderncnns.requireBrowser")).as(message).isFalse();
            Assumptions.abort(message);
        }
        TrainingUi.Recording recording = TrainingUi.record(dir.resolve("run"), 1);
        TrainingUiServer server = TrainingUi.serve(recording.storage(), TrainingUi.Address.loopback(0));
        try {
            ComputationGraph model = BatchNormLeNet.builder().build().init();
            Trainer.builder().setModel(model).setTrainData(SyntheticData.iterator(SyntheticData.images(400, 1), 50, 0))
                    .setValidationData(SyntheticData.iterator(SyntheticData.images(100, 2), 50, 0)).setEpochs(2)
                    .optListener(recording.listener())
                    .optOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                    .build().train();

            String overview = TrainingUi.overviewUrl(server);
            assertThat(get(overview)).contains("<html");
            JsonNode data = new ObjectMapper().readTree(get(overview + "/data"));
            assertThat(data.get("scores")).as("score points in %s", data).isNotNull();
            assertThat(data.get("scores").size()).as("score points").isGreaterThanOrEqualTo(10);
            assertThat(data.get("scores").get(0).asDouble()).isGreaterThan(0);

            Path screenshot = Path.of("target", "ui-overview.png").toAbsolutePath();
            Files.createDirectories(screenshot.getParent());
            List<String> browser = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--user-data-dir=" + dir.resolve("chromium"), "--window-size=1280,1000",
                    "--virtual-time-budget=8000");
            String dom = run(concat(browser, "--dump-dom", overview));
            run(concat(browser, "--screenshot=" + screenshot, overview));

            // the page's scripts ran: the score chart was drawn by flot into canvases in the chart's container
            assertThat(dom).contains("id=\"scoreiterchart\"").contains("flot-base");
            assertThat(screenshot).isRegularFile();
            assertThat(Files.size(screenshot)).isGreaterThan(10_000);
        } finally {
            server.stop();
        }
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> all = new java.util.ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    private String run(List<String> command) throws Exception {
        Path log = dir.resolve("chromium-" + System.nanoTime() + ".out");
        Process process = new ProcessBuilder(command).redirectOutput(log.toFile())
                .redirectError(dir.resolve("chromium.err").toFile()).start();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return Files.readString(log);
    }
}
