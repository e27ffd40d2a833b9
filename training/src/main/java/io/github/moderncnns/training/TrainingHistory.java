package io.github.moderncnns.training;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.moderncnns.data.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The per-epoch metrics of a run, what the notebook's {@code train()} returns as four lists
 * ({@code train_loss_all, train_acc_all, val_loss_all, val_acc_all}), immutable. It is written to a run directory as
 * {@code metrics.csv} and {@code metrics.json}.
 *
 * @param epochs one entry per completed epoch, in order
 */
public record TrainingHistory(List<EpochMetrics> epochs) {
    /** The CSV file's name. */
    public static final String CSV_FILE = "metrics.csv";
    /** The JSON file's name. */
    public static final String JSON_FILE = "metrics.json";
    /** The CSV file's header row. */
    public static final String CSV_HEADER = "epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,"
            + "seconds";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Keeps an immutable copy. */
    public TrainingHistory {
        epochs = List.copyOf(epochs);
    }

    /** An empty history. */
    public static TrainingHistory empty() {
        return new TrainingHistory(List.of());
    }

    /**
     * @param metrics the next epoch's metrics
     * @return a new history with it appended
     */
    public TrainingHistory plus(EpochMetrics metrics) {
        List<EpochMetrics> all = new ArrayList<>(epochs);
        all.add(metrics);
        return new TrainingHistory(all);
    }

    /** The notebook's {@code train_loss_all}. */
    public double[] trainLoss() {
        return epochs.stream().mapToDouble(EpochMetrics::trainLoss).toArray();
    }

    /** The notebook's {@code train_acc_all}. */
    public double[] trainAccuracy() {
        return epochs.stream().mapToDouble(EpochMetrics::trainAccuracy).toArray();
    }

    /** The notebook's {@code val_loss_all}. */
    public double[] validationLoss() {
        return epochs.stream().mapToDouble(EpochMetrics::validationLoss).toArray();
    }

    /** The notebook's {@code val_acc_all}. */
    public double[] validationAccuracy() {
        return epochs.stream().mapToDouble(EpochMetrics::validationAccuracy).toArray();
    }

    /** The epoch with the highest validation accuracy (the earliest of equals), if any. */
    public Optional<EpochMetrics> best() {
        return epochs.stream().max(Comparator.comparingDouble(EpochMetrics::validationAccuracy)
                .thenComparing(Comparator.comparingInt(EpochMetrics::epoch).reversed()));
    }

    /** The last epoch, if any. */
    public Optional<EpochMetrics> last() {
        return epochs.isEmpty() ? Optional.empty() : Optional.of(epochs.get(epochs.size() - 1));
    }

    /** The CSV text: {@code epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,seconds}. */
    public String toCsv() {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (EpochMetrics m : epochs) {
            csv.append(String.format(Locale.ROOT, "%d,%.6f,%.4f,%.6f,%.4f,%.3f%n", m.epoch(), m.trainLoss(),
                    m.trainAccuracy(), m.validationLoss(), m.validationAccuracy(), m.seconds()));
        }
        return csv.toString();
    }

    /**
     * Writes {@value #CSV_FILE} and {@value #JSON_FILE} into {@code directory}, each atomically.
     *
     * @param directory the run directory
     * @throws IOException if writing fails
     */
    public void write(Path directory) throws IOException {
        AtomicFiles.write(directory.resolve(CSV_FILE), toCsv().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(directory.resolve(JSON_FILE), JSON.writeValueAsBytes(epochs));
    }

    /**
     * Reads a run directory's history from {@value #JSON_FILE}, or from {@value #CSV_FILE} where only that was kept:
     * docs/results keeps a finished run's small text files, and a lab continued on another machine reads its
     * finished networks from them. A history read from the CSV has no per-epoch images/s ({@code NaN}).
     *
     * @param directory the run directory
     * @return the history
     * @throws IOException if both files are missing, or the one read is not a history
     */
    public static TrainingHistory read(Path directory) throws IOException {
        Path json = directory.resolve(JSON_FILE);
        Path csv = directory.resolve(CSV_FILE);
        if (Files.isRegularFile(json) || !Files.isRegularFile(csv)) {
            return new TrainingHistory(JSON.readValue(json.toFile(), new TypeReference<List<EpochMetrics>>() { }));
        }
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(CSV_HEADER)) {
            throw new IOException(csv + " is not a metrics file: expected the header " + CSV_HEADER + ", found "
                    + (lines.isEmpty() ? "an empty file" : lines.get(0)));
        }
        List<EpochMetrics> epochs = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            try {
                if (f.length != 6) {
                    throw new NumberFormatException();
                }
                epochs.add(new EpochMetrics(Integer.parseInt(f[0]), Double.parseDouble(f[1]),
                        Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                        Double.parseDouble(f[5]), Double.NaN));
            } catch (NumberFormatException e) {
                throw new IOException(csv + " line " + (i + 1) + ": expected six numbers (" + CSV_HEADER
                        + "), found " + lines.get(i), e);
            }
        }
        return new TrainingHistory(epochs);
    }
}
