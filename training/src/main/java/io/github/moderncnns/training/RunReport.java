package io.github.moderncnns.training;

import io.github.moderncnns.architectures.LayerHelpers;
import io.github.moderncnns.data.AtomicFiles;
import io.github.moderncnns.data.DatasetProvenance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * Writes {@code report.md} for a finished run: model, hyper-parameters, seed, split fingerprint, data location,
 * library versions and backend, the per-epoch table, test accuracy of the last and of the best-validation epoch,
 * per-class precision/recall/F1, the confusion matrix, batch-norm values, time and speed, and links to the plots.
 */
public final class RunReport {
    /** The report's file name. */
    public static final String FILE = "report.md";

    private RunReport() {
    }

    /**
     * The facts of a run.
     *
     * @param spec the run's definition
     * @param architecture the network's name
     * @param trainableParameters PyTorch-comparable parameter count
     * @param provenance where the data came from
     * @param splitFingerprint the train/validation split's fingerprint
     * @param result the training result
     * @param numbers the result in numbers, with the notebook's band
     * @param batchNorm batch-norm values to show (empty for networks without)
     * @param threads the threads it trained on, and why
     */
    public record Facts(RunSpec spec, String architecture, long trainableParameters, DatasetProvenance provenance,
            String splitFingerprint, TrainingResult result, RunResult numbers,
            List<BatchNormInspector.BatchNormValues> batchNorm, ThreadCount threads) {
    }

    /**
     * @param runDirectory where to write {@value #FILE}
     * @param facts the run's facts
     * @throws IOException if writing fails
     */
    public static void write(Path runDirectory, Facts facts) throws IOException {
        AtomicFiles.write(runDirectory.resolve(FILE), render(facts).getBytes(StandardCharsets.UTF_8));
    }

    static String render(Facts facts) {
        StringBuilder md = new StringBuilder();
        RunSpec spec = facts.spec();
        Recipe recipe = spec.recipe();
        TrainingHistory history = facts.result().history();
        md.append("# ").append(facts.architecture()).append(" on Fashion-MNIST\n\n");
        md.append("| setting | value |\n|---|---|\n");
        row(md, "model", spec.model().id() + " (" + facts.architecture() + ", "
                + String.format(Locale.ROOT, "%,d", facts.trainableParameters()) + " trainable parameters)");
        row(md, "recipe", recipe.label() + (recipe.notebookSettings() ? " (the notebook's settings)" : ""));
        row(md, "batch size / epochs / input", recipe.batchSize() + " / " + recipe.epochs() + " / " + recipe.resize()
                + "x" + recipe.resize() + (recipe.stem() == io.github.moderncnns.architectures.ResNet.Stem.NOTEBOOK
                        ? "" : " (3x3 stem)"));
        row(md, "optimiser / schedule", recipe.optimizer() + " / " + recipe.schedule());
        row(md, "loss", "softmax cross-entropy" + (recipe.labelSmoothing() == 0 ? ""
                : ", label smoothing " + recipe.labelSmoothing()));
        row(md, "augmentation / early stopping", recipe.augmentation() + " / " + (recipe.earlyStopping() == 0 ? "off"
                : "patience " + recipe.earlyStopping() + " epochs"));
        row(md, "seed (initialisation, shuffling, dropout) / split seed", spec.seed() + " / " + spec.splitSeed());
        row(md, "devices", spec.dataParallel().isParallel() ? "ParallelWrapper, " + spec.dataParallel().describe()
                : "1");
        row(md, "images per subset", spec.limit() < 0 ? "all (50,000 / 10,000 / 10,000)" : "first " + spec.limit());
        row(md, "split fingerprint", "`" + facts.splitFingerprint() + "` (PyTorch random_split, seed "
                + spec.splitSeed() + ")");
        row(md, "data", facts.provenance().directory() + " (" + facts.provenance().origin() + ", "
                + (facts.provenance().isOfficial() ? "official SHA-256 verified" : "checksums not verified") + ")");
        Properties build = BuildInfo.properties();
        row(md, "backend", BuildInfo.backend() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        row(md, "threads", facts.threads().describe());
        row(md, "memory allocator", MemoryAllocator.describe());
        row(md, "conv / pooling / batch norm", LayerHelpers.describe(facts.result().model()));
        row(md, "versions", "modern-cnns " + build.getProperty("project.version") + ", DL4J/ND4J "
                + build.getProperty("dl4j.version") + ", Java " + System.getProperty("java.version"));
        md.append('\n');

        md.append("## Epochs\n\n| epoch | train loss | train acc % | val loss | val acc % | seconds | images/s |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|\n");
        double seconds = 0;
        for (EpochMetrics m : history.epochs()) {
            seconds += m.seconds();
            md.append(String.format(Locale.ROOT, "| %d | %.4f | %.2f | %.4f | %.2f | %.1f | %,.0f |%n", m.epoch(),
                    m.trainLoss(), m.trainAccuracy(), m.validationLoss(), m.validationAccuracy(), m.seconds(),
                    m.imagesPerSecond()));
        }
        md.append(String.format(Locale.ROOT, "%nTotal training time: %.1f s.%n%n", seconds));
        facts.result().earlyStop().ifPresent(reason -> md.append("Training ").append(reason).append(" (")
                .append(history.epochs().size()).append(" of ").append(recipe.epochs()).append(" epochs).\n\n"));

        md.append("## Test\n\n");
        Optional<EvaluationResult> last = facts.result().lastEpochTest();
        last.ifPresent(r -> md.append(String.format(Locale.ROOT,
                "- Last epoch (%d, the notebook's number): test loss %.4f, **test accuracy %.2f %%**%n",
                history.epochs().size(), r.loss(), r.accuracy())));
        facts.result().bestEpochTest().ifPresent(r -> md.append(String.format(Locale.ROOT,
                "- Best validation epoch (%d, validation accuracy %.2f %%): test loss %.4f, test accuracy %.2f %%%n",
                facts.result().bestEpoch(), history.best().orElseThrow().validationAccuracy(), r.loss(),
                r.accuracy())));
        RunResult numbers = facts.numbers();
        md.append(String.format(Locale.ROOT, "- Peak resident memory: %s%n", numbers.peakMemoryBytes() < 0
                ? "unknown" : String.format(Locale.ROOT, "%.2f GB", numbers.peakMemoryBytes() / 1e9)));
        if (!numbers.reference().isEmpty()) {
            md.append("- The notebook's reference (its PyTorch code, three seeds): ").append(numbers.reference())
                    .append(numbers.notebookSchedule() ? ": **" + numbers.verdict() + "**"
                            : " (no verdict: this run did not follow the notebook's schedule on all the data)")
                    .append('\n');
        }
        md.append(spec.restoreBest() ? "- The saved model is the best-validation epoch's.\n"
                : "- The saved model is the last epoch's.\n");
        Evaluation evaluation = (spec.restoreBest() ? facts.result().bestEpochTest() : last)
                .map(EvaluationResult::evaluation).orElse(null);
        if (evaluation != null) {
            md.append("\n| class | precision | recall | F1 |\n|---|---:|---:|---:|\n");
            List<String> names = evaluation.getLabelsList();
            for (int c = 0; c < names.size(); c++) {
                md.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f |%n", names.get(c),
                        evaluation.precision(c), evaluation.recall(c), evaluation.f1(c)));
            }
            md.append("\nConfusion matrix (rows: actual, columns: predicted):\n\n```\n")
                    .append(evaluation.confusionToString()).append("```\n");
        }
        if (!facts.batchNorm().isEmpty()) {
            md.append("\n## Batch normalization\n\nLearned scale (gamma, PyTorch `weight`) and shift (beta, `bias`):"
                    + "\n\n```\n");
            facts.batchNorm().forEach(values -> md.append(values));
            md.append("```\n");
        }
        md.append("\n## Plots\n\n![loss](").append(TrainingPlots.LOSS_FILE).append(")\n![accuracy](")
                .append(TrainingPlots.ACCURACY_FILE).append(")\n![confusion matrix](")
                .append(TrainingPlots.CONFUSION_FILE).append(")\n");
        return md.toString();
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }
}
