package io.github.moderncnns.cli;

import io.github.moderncnns.training.TrainingUi;
import io.github.moderncnns.training.TrainingUiServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ui}: re-open a run in the DL4J training UI. */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "Show a run's recorded statistics in the DL4J training UI until interrupted (Ctrl-C). The UI "
                + "is read-only and listens on this machine only unless --host says otherwise.")
final class UiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--stats", required = true, description = "A run's ui-stats.dl4j file.")
    Path stats;

    @Option(names = "--port", defaultValue = "9000", converter = PortNumber.class,
            description = "Port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = TrainingUiServer.LOOPBACK, description = "Address to listen on "
            + "(default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface, with no authentication).")
    String host;

    @Override
    public Integer call() throws Exception {
        PrintStream stdout = CommandOutput.of(spec);
        TrainingUi.Served served = TrainingUi.serveEvenWhileTraining(stats, new TrainingUi.Address(host, port));
        TrainingUiServer server = served.server();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        if (served.snapshot()) {
            stdout.println("The run is still training (it holds " + stats + "): showing its statistics as they "
                    + "are now; run ui again to see later iterations.");
        }
        stdout.println(TrainingUi.announce(server) + "; press Ctrl-C to stop");
        stdout.flush();
        Thread.currentThread().join();
        return 0;
    }
}
