package io.github.moderncnns.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.stats.impl.DefaultStatsInitializationConfiguration;
import org.deeplearning4j.ui.model.stats.impl.DefaultStatsUpdateConfiguration;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.mapdb.DBException;

/**
 * The DL4J training UI for a run: a {@link StatsListener} that records into {@code <run>/ui-stats.dl4j} (so any run
 * can be re-opened later), and optionally the UI server showing it live at
 * {@code http://localhost:PORT/train/overview}.
 *
 * <p>The listener collects what the overview page shows (score, update:parameter ratios, timing, memory) every
 * {@code frequency} iterations. Histograms of parameters, gradients and updates (the model tab's per-layer charts)
 * only on request, {@code record(dir, frequency, true)}: their cost grows with the parameter count (measured in
 * docs/performance.md).
 *
 * <p><b>Network exposure.</b> The server is our {@link TrainingUiServer}, not DL4J's (which listens on every
 * interface and stores uploads without limit): it listens on 127.0.0.1 unless the user names another address, takes
 * no uploads and stores nothing.
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
        return record(runDirectory, frequency, false);
    }

    /**
     * A listener that records the UI statistics of a run into {@code runDirectory/ui-stats.dl4j}, with or without
     * the histograms the model tab shows.
     *
     * @param runDirectory the run directory (created if needed)
     * @param frequency record every this many iterations
     * @param histograms also record histograms of every layer's parameters, gradients and updates
     * @return the listener and its storage
     * @throws IOException if the directory cannot be created
     */
    public static Recording record(Path runDirectory, int frequency, boolean histograms) throws IOException {
        Files.createDirectories(runDirectory);
        FileStatsStorage storage = new FileStatsStorage(runDirectory.resolve(STATS_FILE).toFile());
        // DL4J 1.0.0-M2.1's collectHistograms(Gradients) answers with the gradient-stdev flag, not the histogram
        // flag: gradient histograms are off only if the gradients' standard deviations (a model-tab chart) are too
        StatsListener listener = new StatsListener(storage,
                new DefaultStatsInitializationConfiguration(true, true, true),
                new DefaultStatsUpdateConfiguration.Builder().reportingFrequency(frequency)
                        .collectHistogramsParameters(histograms).collectHistogramsGradients(histograms)
                        .collectStdevGradients(histograms)
                        .collectHistogramsUpdates(histograms).collectHistogramsActivations(false).build(),
                null, null);
        return new Recording(listener, storage);
    }

    /**
     * A listener with its storage.
     *
     * @param listener add it to the model
     * @param storage where it records; attach it to a {@link TrainingUiServer} to watch live
     */
    public record Recording(StatsListener listener, StatsStorage storage) implements AutoCloseable {
        /**
         * Closes the storage, which releases its file (the file is locked while it is open, even within the JVM).
         *
         * @throws IOException if the storage cannot be closed
         */
        @Override
        public void close() throws IOException {
            storage.close();
        }
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
        } catch (DBException.FileLocked e) {
            throw new StatsFileLockedException(statsFile, e);
        } catch (RuntimeException e) {
            throw new IOException(statsFile + ": cannot be opened (" + e.getMessage() + "); if another training "
                    + "run or UI has it open, stop that one first", e);
        }
    }

    /** A statistics file another JVM has open: a run still training, or a UI showing it. */
    public static final class StatsFileLockedException extends IOException {
        private static final long serialVersionUID = 1L;

        StatsFileLockedException(Path statsFile, Throwable cause) {
            super(statsFile + ": another program has it open (a run still training, or a UI showing it)", cause);
        }
    }

    /**
     * Shows a run's statistics, also while the run is still training: its storage locks the file, so the UI then
     * shows a copy of the file as it is now (a snapshot: restart the UI to see later iterations), removed when the
     * JVM ends.
     *
     * @param statsFile a {@value #STATS_FILE} file
     * @param address where to listen
     * @return the running server, and whether it shows a snapshot
     * @throws IOException if the file is missing or cannot be read
     * @throws UiPortInUseException if the server cannot listen there
     */
    public static Served serveEvenWhileTraining(Path statsFile, Address address) throws IOException {
        try {
            return new Served(serve(statsFile, address), false);
        } catch (StatsFileLockedException e) {
            TemporaryDirectory copy = TemporaryDirectory.create("moderncnns-ui");
            Path snapshot = Files.copy(statsFile, copy.path().resolve(STATS_FILE));
            return new Served(serve(snapshot, address), true);
        }
    }

    /**
     * A UI server showing a statistics file.
     *
     * @param server the running server
     * @param snapshot whether it shows a copy of a file that a running training is still writing
     */
    public record Served(TrainingUiServer server, boolean snapshot) {
    }

    /**
     * Where the UI listens.
     *
     * @param host the address to listen on: {@value TrainingUiServer#LOOPBACK} (this machine only) unless the user
     *             asks for another interface
     * @param port the TCP port, 1-65535, or 0 for any free one
     */
    public record Address(String host, int port) {
        /** Checks the port's range. */
        public Address {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("the UI host must be an address of this machine, found '" + host
                        + "'");
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("the UI port must be between 0 (any free port) and 65535, found "
                        + port);
            }
        }

        /**
         * @param port the TCP port
         * @return the address on this machine only
         */
        public static Address loopback(int port) {
            return new Address(TrainingUiServer.LOOPBACK, port);
        }

        /** @return whether other machines can reach it */
        public boolean isExposed() {
            return !host.equals(TrainingUiServer.LOOPBACK) && !host.equals("localhost") && !host.equals("::1");
        }
    }

    /**
     * Re-opens a run's statistics file and shows it.
     *
     * @param statsFile a {@value #STATS_FILE} file
     * @param address where to listen
     * @return the running server
     * @throws IOException if the file does not exist or is in use
     * @throws UiPortInUseException if the server cannot listen there
     */
    public static TrainingUiServer serve(Path statsFile, Address address) throws IOException {
        if (!Files.isRegularFile(statsFile)) {
            open(statsFile); // says what is missing
        }
        TrainingUiServer server = start(address); // the port first: it is the likelier mistake
        try {
            server.attach(open(statsFile));
        } catch (IOException | RuntimeException e) {
            server.stop();
            throw e;
        }
        return server;
    }

    /**
     * Starts the UI server ({@link TrainingUiServer}: read-only, no uploads) and shows {@code storage}.
     *
     * @param storage the statistics to show
     * @param address where to listen
     * @return the running server; {@link TrainingUiServer#stop()} frees the port
     * @throws UiPortInUseException if the server cannot listen there
     */
    public static TrainingUiServer serve(StatsStorage storage, Address address) {
        TrainingUiServer server = start(address);
        server.attach(storage);
        return server;
    }

    /**
     * Starts the UI server ({@link TrainingUiServer}: read-only, no uploads) with nothing to show yet; attach
     * statistics to it.
     *
     * @param address where to listen
     * @return the running server; {@link TrainingUiServer#stop()} frees the port
     * @throws UiPortInUseException if the server cannot listen there
     */
    public static TrainingUiServer start(Address address) {
        try {
            return TrainingUiServer.start(address.host(), address.port());
        } catch (IOException e) {
            throw new UiPortInUseException(address, e);
        }
    }

    /**
     * @param server a running server
     * @return its overview page, e.g. {@code http://localhost:9000/train/overview}
     */
    public static String overviewUrl(TrainingUiServer server) {
        return server.getAddress() + "/train/overview";
    }

    /**
     * @param server a running server
     * @return the line that tells the user where the UI is, with a warning when other machines can reach it
     */
    public static String announce(TrainingUiServer server) {
        return "DL4J training UI: " + overviewUrl(server) + (server.host().equals(TrainingUiServer.LOOPBACK)
                ? " (this machine only)" : " (WARNING: listening on " + server.host() + ", reachable from other "
                        + "machines; the UI has no authentication)");
    }

    /** The UI port is already in use. */
    public static final class UiPortInUseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UiPortInUseException(Address address, IOException cause) {
            super("cannot start the DL4J training UI: " + cause.getMessage() + "; choose another port (moderncnns: "
                    + "--ui-port for train, --port for ui)" + (address.isExposed() ? " or a host that is an address "
                    + "of this machine" : ""), cause);
        }
    }
}
