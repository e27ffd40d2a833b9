package io.github.moderncnns.training;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.core.storage.StatsStorage;

/**
 * The training UI of a whole lab: one server for all its networks, so the UI's session list holds every network,
 * the finished ones (their statistics files re-opened) and the one training now (attached live by its run). Does
 * nothing when the lab was started without a UI address.
 */
final class LabUi implements AutoCloseable {
    private final TrainingUiServer server;
    private final PrintStream out;
    private final List<StatsStorage> opened = new ArrayList<>();

    private LabUi(TrainingUiServer server, PrintStream out) {
        this.server = server;
        this.out = out;
    }

    /**
     * @param options the lab's options; {@code options.ui()} is where to listen, or {@code null} for no UI
     * @return the lab's UI
     * @throws TrainingUi.UiPortInUseException if the server cannot listen there
     */
    static LabUi start(NotebookTraining.Options options) {
        if (options.ui() == null) {
            return new LabUi(null, options.out());
        }
        TrainingUiServer server = TrainingUi.start(options.ui());
        options.out().println(TrainingUi.announce(server) + " (every network of the lab)");
        return new LabUi(server, options.out());
    }

    /** The options for each network's run: they show themselves in this server instead of starting their own. */
    NotebookTraining.Options optionsForRuns(NotebookTraining.Options options) {
        return server == null ? options : options.withUiServer(server);
    }

    /**
     * Shows a network whose run has ended (its statistics file is closed then).
     *
     * @param runDirectory the network's run directory
     */
    void show(Path runDirectory) {
        Path stats = runDirectory.resolve(TrainingUi.STATS_FILE);
        if (server == null || !Files.isRegularFile(stats)) {
            return;
        }
        try {
            StatsStorage storage = TrainingUi.open(stats);
            opened.add(storage);
            server.attach(storage);
        } catch (IOException e) {
            out.println("The UI cannot show " + stats + ": " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        if (server == null) {
            return;
        }
        server.stop();
        for (StatsStorage storage : opened) {
            storage.close();
        }
        out.println("Training UI stopped. Re-open a network with: ui --stats <lab>/<network>/" + TrainingUi.STATS_FILE);
    }
}
