package io.github.moderncnns.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.moderncnns.data.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A finished run in numbers, written as {@code result.json} into its run directory so that tools (and the lab's
 * combined report) read a run without parsing Markdown. Accuracies are in percent; {@code seconds} adds up the
 * epochs' wall times (training and validation) across interruptions.
 *
 * @param model the network's id, as the command line spells it
 * @param epochs epochs trained
 * @param seconds total epoch time
 * @param imagesPerSecond training images per second over all epochs
 * @param peakMemoryBytes the process's peak resident memory while it trained this network (its last start, when
 *                        resumed), or -1 if unknown
 * @param lastTestAccuracy the last epoch's test accuracy (the notebook's number)
 * @param bestEpoch the epoch with the best validation accuracy
 * @param bestValidationAccuracy that epoch's validation accuracy
 * @param bestTestAccuracy that epoch's test accuracy
 * @param notebookSchedule whether the run followed the notebook's recipe on all the data (only then is there a
 *                         verdict)
 * @param reference the notebook's band, described, or empty if the network has none
 * @param verdict {@code inside}, {@code outside} or {@code n/a}
 */
public record RunResult(String model, int epochs, double seconds, double imagesPerSecond, long peakMemoryBytes,
        double lastTestAccuracy, int bestEpoch, double bestValidationAccuracy, double bestTestAccuracy,
        boolean notebookSchedule, String reference, String verdict) {
    /** The file's name in a run directory. */
    public static final String FILE = "result.json";
    /** The columns of {@link #csvRow()}. */
    public static final String CSV_HEADER = "model,epochs,seconds,images_per_second,peak_memory_mb,last_test_accuracy,"
            + "best_epoch,best_validation_accuracy,best_test_accuracy,verdict,reference";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /**
     * @param spec what was trained
     * @param result how it went; it must have test results
     * @param trainImages images in the training subset
     * @param peakMemoryBytes peak resident memory, or -1
     * @return the numbers, judged against the network's band when the run followed the notebook's schedule
     */
    public static RunResult of(RunSpec spec, TrainingResult result, int trainImages, long peakMemoryBytes) {
        TrainingHistory history = result.history();
        EpochMetrics best = history.best().orElseThrow(() -> new IllegalArgumentException("no epoch was trained"));
        double last = result.lastEpochTest().orElseThrow(() -> new IllegalArgumentException("no test result"))
                .accuracy();
        double bestTest = result.bestEpochTest().orElseThrow(() -> new IllegalArgumentException("no test result"))
                .accuracy();
        double seconds = history.epochs().stream().mapToDouble(EpochMetrics::seconds).sum();
        boolean notebook = spec.limit() < 0 && spec.recipe().notebookSettings()
                && !spec.dataParallel().isParallel();
        var band = ReferenceBand.of(spec.model());
        ReferenceBand.Verdict verdict = notebook && band.isPresent()
                ? band.get().judge(last, best.validationAccuracy()) : ReferenceBand.Verdict.NOT_APPLICABLE;
        return new RunResult(spec.model().id(), history.epochs().size(), seconds,
                (double) trainImages * history.epochs().size() / seconds, peakMemoryBytes, last, best.epoch(),
                best.validationAccuracy(), bestTest, notebook, band.map(ReferenceBand::describe).orElse(""),
                verdict.word());
    }

    /** @return this result as a line of {@link #CSV_HEADER}'s columns */
    public String csvRow() {
        return String.join(",", List.of(model, Integer.toString(epochs), format("%.1f", seconds),
                format("%.1f", imagesPerSecond), peakMemoryBytes < 0 ? "" : Long.toString(peakMemoryBytes >> 20),
                format("%.2f", lastTestAccuracy), Integer.toString(bestEpoch), format("%.2f", bestValidationAccuracy),
                format("%.2f", bestTestAccuracy), verdict, "\"" + reference + "\""));
    }

    private static String format(String pattern, double value) {
        return String.format(Locale.ROOT, pattern, value);
    }

    /**
     * Writes {@value #FILE} atomically.
     *
     * @param runDirectory the run directory
     * @throws IOException if writing fails
     */
    public void write(Path runDirectory) throws IOException {
        AtomicFiles.write(runDirectory.resolve(FILE), JSON.writeValueAsBytes(this));
    }

    /**
     * @param runDirectory a finished run's directory
     * @return its result
     * @throws IOException if {@value #FILE} is missing (the run has not finished) or unreadable
     */
    public static RunResult read(Path runDirectory) throws IOException {
        Path file = runDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(runDirectory + " has no " + FILE + ": the run has not finished");
        }
        return JSON.readValue(file.toFile(), RunResult.class);
    }
}
