package io.github.moderncnns.training;

import io.github.moderncnns.data.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The lab's combined results, from its networks' run directories: {@code report.md} (one row per network, with the
 * notebook's reference band and a verdict), {@code results.csv} (the same numbers for tools, columns of
 * {@link RunResult#CSV_HEADER}) and {@code validation-accuracy.png} (the networks' validation curves in one plot).
 * Networks that have not finished are listed with their status.
 */
public final class LabReport {
    /** The report's file name. */
    public static final String REPORT_FILE = "report.md";
    /** The CSV file's name. */
    public static final String CSV_FILE = "results.csv";
    /** The plot's file name. */
    public static final String PLOT_FILE = "validation-accuracy.png";

    private LabReport() {
    }

    /**
     * Writes the three files, each atomically.
     *
     * @param labDirectory the lab directory
     * @param state the lab's state
     * @throws IOException if a finished run's files cannot be read, or writing fails
     */
    public static void write(Path labDirectory, LabState state) throws IOException {
        StringBuilder csv = new StringBuilder(RunResult.CSV_HEADER).append('\n');
        StringBuilder md = new StringBuilder("# The notebook's lab\n\n");
        LabSettings settings = state.settings();
        md.append(String.format(Locale.ROOT, "Seed %d (initialisation, shuffling, dropout), split seed %d, %s, %s.%n%n",
                settings.seed(), settings.splitSeed(), settings.epochs() == null ? "each preset's epochs"
                        : settings.epochs() + " epochs each", settings.limit() < 0 ? "all images"
                        : "the first " + settings.limit() + " images of each subset"));
        md.append("| network | status | epochs | training time | images/s | peak memory | test acc % (last epoch) "
                + "| best val acc % (epoch) | test acc % at best | notebook's band | verdict |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        Map<String, TrainingHistory> curves = new LinkedHashMap<>();
        double trainingSeconds = 0;
        double wallSeconds = 0;
        for (LabState.Network network : state.networks()) {
            Path run = labDirectory.resolve(network.runDirectory());
            wallSeconds += network.wallSeconds();
            if (network.status() != LabState.Status.DONE) {
                md.append(String.format(Locale.ROOT, "| %s | %s%s | | | | | | | | | |%n", network.model(),
                        network.status().name().toLowerCase(Locale.ROOT),
                        network.failure() == null ? "" : ": " + network.failure().replace('|', '/')));
                continue;
            }
            RunResult r = RunResult.read(run);
            csv.append(r.csvRow()).append('\n');
            trainingSeconds += r.seconds();
            md.append(String.format(Locale.ROOT, "| [%s](%s/report.md) | done | %d | %s | %,.0f | %s | **%.2f** | "
                    + "%.2f (%d) | %.2f | %s | %s |%n", r.model(), network.runDirectory(), r.epochs(),
                    NotebookLab.duration(r.seconds()), r.imagesPerSecond(), r.peakMemoryBytes() < 0 ? "?"
                            : String.format(Locale.ROOT, "%.2f GB", r.peakMemoryBytes() / 1e9),
                    r.lastTestAccuracy(), r.bestValidationAccuracy(), r.bestEpoch(), r.bestTestAccuracy(),
                    r.reference(), r.verdict()));
            if (Files.isRegularFile(run.resolve(TrainingHistory.JSON_FILE))
                    || Files.isRegularFile(run.resolve(TrainingHistory.CSV_FILE))) {
                curves.put(r.model(), TrainingHistory.read(run));
            }
        }
        md.append(String.format(Locale.ROOT, "%nTraining time of the finished networks (epochs, with validation): "
                + "%s; wall time of the lab so far, over all its sessions: %s.%n", NotebookLab.duration(
                        trainingSeconds), NotebookLab.duration(wallSeconds)));
        md.append("\nThe band is where the notebook's own PyTorch code lands with three seeds, widened by one point; "
                + "a verdict is given only to runs on the notebook's full schedule.\n");
        if (!curves.isEmpty()) {
            TrainingPlots.writeValidationComparison(curves, labDirectory.resolve(PLOT_FILE));
            md.append("\n![validation accuracy](").append(PLOT_FILE).append(")\n");
        }
        AtomicFiles.write(labDirectory.resolve(CSV_FILE), csv.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(labDirectory.resolve(REPORT_FILE), md.toString().getBytes(StandardCharsets.UTF_8));
    }
}
