package io.github.moderncnns.training;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.exception.DL4JException;
import org.deeplearning4j.ui.VertxUIServer;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.impl.DefaultStatsInitializationConfiguration;
import org.deeplearning4j.ui.model.stats.impl.DefaultStatsUpdateConfiguration;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;

/**
 * The DL4J training UI for a run: a {@link StatsListener} that records into {@code <run>/ui-stats.dl4j} (so any run
 * can be re-opened later), and optionally DL4J's UI server showing it live at
 * {@code http://localhost:PORT/train/overview}.
 *
 * <p>The listener collects what the overview page shows (score, update:parameter ratios, timing, memory) every
 * {@code frequency} iterations, without histograms, whose cost grows with the parameter count.
 *
 * <p><b>Network exposure.</b> DL4J 1.0.0-M2.1's UI server (Vert.x) always listens on all network interfaces; its
 * host cannot be configured. We print the address and a warning when it starts, and the server runs only while a
 * run or {@code ui} command asks for it.
 */
public final class TrainingUi {
    /** The stats file's name in a run directory. */
    public static final String STATS_FILE = "ui-stats.dl4j";
    /** DL4J's default UI port. */
    public static final int DEFAULT_PORT = 9000;

    private TrainingUi() {
    }

    /**
     * A listener that records the UI statistics of a run into {@code runDirectory/ui-stats.dl4j}.
     *
     * @param runDirectory the run directory (created if needed)
     * @param frequency record every this many iterations
     * @return the listener and its storage
     * @throws IOException if the directory cannot be created
     */
    public static Recording record(Path runDirectory, int frequency) throws IOException {
        Files.createDirectories(runDirectory);
        FileStatsStorage storage = new FileStatsStorage(runDirectory.resolve(STATS_FILE).toFile());
        StatsListener listener = new StatsListener(storage,
                new DefaultStatsInitializationConfiguration(true, true, true),
                new DefaultStatsUpdateConfiguration.Builder().reportingFrequency(frequency)
                        .collectHistogramsParameters(false).collectHistogramsGradients(false)
                        .collectHistogramsUpdates(false).collectHistogramsActivations(false).build(),
                null, null);
        return new Recording(listener, storage);
    }

    /**
     * A listener with its storage.
     *
     * @param listener add it to the model
     * @param storage where it records; attach it to a {@link UIServer} to watch live
     */
    public record Recording(StatsListener listener, StatsStorage storage) {
    }

    /**
     * Re-opens a finished run's statistics file.
     *
     * @param statsFile a {@value #STATS_FILE} file
     * @return the storage, to attach to a UI server
     * @throws IOException if the file does not exist
     */
    public static StatsStorage open(Path statsFile) throws IOException {
        if (!Files.isRegularFile(statsFile)) {
            throw new IOException(statsFile + ": no such UI statistics file (every run writes one as "
                    + STATS_FILE + " in its run directory)");
        }
        try {
            return new FileStatsStorage(statsFile.toFile());
        } catch (RuntimeException e) {
            throw new IOException(statsFile + ": cannot be opened (" + e.getMessage() + "); if another training "
                    + "run or UI has it open, stop that one first", e);
        }
    }

    /**
     * Re-opens a finished run's statistics file and shows it on {@code port}.
     *
     * @param statsFile a {@value #STATS_FILE} file
     * @param port the TCP port
     * @return the running server
     * @throws IOException if the file does not exist or is in use
     * @throws UiPortInUseException if the port is taken (checked first)
     */
    public static UIServer serve(Path statsFile, int port) throws IOException {
        ensureFree(port);
        return serve(open(statsFile), port);
    }

    /**
     * Starts DL4J's UI server on {@code port} and shows {@code storage}.
     *
     * @param storage the statistics to show
     * @param port the TCP port
     * @return the running server; {@link UIServer#stop()} frees the port
     * @throws UiPortInUseException if the port is taken
     */
    public static UIServer serve(StatsStorage storage, int port) {
        ensureFree(port);
        UIServer server;
        try {
            server = VertxUIServer.getInstance(port, false, null);
        } catch (DL4JException e) {
            throw new UiPortInUseException(port, e);
        }
        server.attach(storage);
        return server;
    }

    /** Vert.x binds all interfaces, so that is where the port must be free. */
    private static void ensureFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new UiPortInUseException(port, e);
        }
    }

    /** The overview page of a server. */
    public static String overviewUrl(int port) {
        return "http://localhost:" + port + "/train/overview";
    }

    /** The UI port is already in use. */
    public static final class UiPortInUseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UiPortInUseException(int port, Throwable cause) {
            super("cannot start the DL4J training UI: port " + port + " is already in use; choose another port "
                    + "(moderncnns: --ui-port for train, --port for ui).", cause);
        }
    }
}
