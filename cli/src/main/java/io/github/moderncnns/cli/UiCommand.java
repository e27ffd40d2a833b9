package io.github.moderncnns.cli;

import io.github.moderncnns.training.TrainingUi;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.deeplearning4j.ui.api.UIServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ui}: re-open a run in the DL4J training UI. */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "Show a run's recorded statistics in the DL4J training UI until interrupted (Ctrl-C).")
final class UiCommand implements Callable<Integer> {
    @Option(names = "--stats", required = true, description = "A run's ui-stats.dl4j file.")
    Path stats;

    @Option(names = "--port", defaultValue = "9000", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
        UIServer server = TrainingUi.serve(stats, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("DL4J training UI: " + TrainingUi.overviewUrl(port) + " (press Ctrl-C to stop; note: "
                + "DL4J's UI server listens on all network interfaces)");
        System.out.flush();
        Thread.currentThread().join();
        return 0;
    }
}
