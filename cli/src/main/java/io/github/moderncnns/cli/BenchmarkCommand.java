package io.github.moderncnns.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.data.DatasetException;
import io.github.moderncnns.training.LayersComparison;
import io.github.moderncnns.training.EpochMetrics;
import io.github.moderncnns.training.ModelBenchmark;
import io.github.moderncnns.training.NotebookTraining;
import io.github.moderncnns.training.RunSpec;
import io.github.moderncnns.training.TemporaryDirectory;
import io.github.moderncnns.training.ThreadCount;
import io.github.moderncnns.training.Recipe;
import io.github.moderncnns.training.TrainingResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.conf.CacheMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code benchmark}: training and inference speed of a network on random data, optionally one real epoch. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"Training and inference images/s and peak memory of a network at the notebook's settings, on "
                + "random data, after a warm-up.",
                "With --real-epoch N, then also trains one epoch of N real images through the full loop (data "
                        + "pipeline, metrics, UI recording, checkpoint, validation) and reports what the loop costs "
                        + "on top of the pure training steps.",
                "tools/benchmark-models.sh runs this side by side with the notebook's PyTorch code."})
final class BenchmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, converter = ModelOption.class,
            completionCandidates = ModelOption.class, description = "One of: ${COMPLETION-CANDIDATES}.")
    NotebookModel model;

    @Option(names = "--batch-size", converter = Positive.class, description = "Default: the preset's.")
    Integer batchSize;

    @Option(names = "--resize", converter = Positive.class, description = "Input side in pixels (default: the "
            + "notebook's).")
    Integer resize;

    @Option(names = "--iterations", converter = Positive.class, defaultValue = "10",
            description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed iterations first (default: "
            + "${DEFAULT-VALUE}).")
    int warmup;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--no-helpers", description = "Without the layer helpers (oneDNN, and the project's batch-norm "
            + "and pooling kernels): DL4J's Java code, to measure what they bring.")
    boolean noHelpers;

    @Option(names = "--cache-mode", defaultValue = "DEVICE", description = "DL4J cache mode: ${COMPLETION-"
            + "CANDIDATES} (default: ${DEFAULT-VALUE}).")
    CacheMode cacheMode;

    @Option(names = "--ui-stats-frequency", defaultValue = "0", description = "Record DL4J UI statistics every N "
            + "iterations while training, as train does, to measure what that costs (default: 0, off).")
    int uiStatsFrequency;

    @Option(names = "--ui-histograms", description = "With --ui-stats-frequency: record the model tab's histograms "
            + "too (train --ui-histograms), to measure what they cost.")
    boolean uiHistograms;

    @Option(names = "--real-epoch", paramLabel = "IMAGES", converter = Positive.class, description = "Then train "
            + "one real epoch of this many training images (and as many validation images) through the full loop.")
    Integer realEpoch;

    @Option(names = "--compare-layers", description = "Then train the network with the project's layers (batch "
            + "norm and pooling kernels, fused activations, the first convolution without its input gradient) and "
            + "with DL4J's classes only, alternating their steps in this JVM (--iterations each), and report both "
            + "speeds.")
    boolean compareLayers;

    @Mixin
    DataDirectoryOption data;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException, DatasetException {
        PrintStream stdout = CommandOutput.of(spec);
        ThreadCount count = threads.applyNow();
        if (warmup < 0) {
            throw new ModernCnns.UserError("--warmup must be at least 0, found " + warmup);
        }
        if (compareLayers && noHelpers) {
            throw new ParameterException(spec.commandLine(), "--compare-layers compares two fast paths; leave out "
                    + "--no-helpers");
        }
        if (uiStatsFrequency < 0) {
            throw new ModernCnns.UserError("--ui-stats-frequency must be at least 0, found " + uiStatsFrequency);
        }
        Recipe recipe = Recipe.notebook(model);
        ModelBenchmark.Settings settings = new ModelBenchmark.Settings(model,
                batchSize != null ? batchSize : recipe.batchSize(), resize != null ? resize : recipe.resize(),
                iterations, warmup, !noHelpers,
                cacheMode, uiStatsFrequency, uiHistograms);
        ModelBenchmark.Result result = ModelBenchmark.run(settings);
        Map<String, Object> fields = result.toMap();
        if (realEpoch != null) {
            EpochMetrics epoch = realEpoch(settings.batchSize(), count);
            double trainSeconds = (double) realEpoch / epoch.imagesPerSecond();
            fields.put("real_epoch_images", realEpoch);
            fields.put("real_epoch_train_images_per_second", epoch.imagesPerSecond());
            fields.put("real_epoch_seconds", epoch.seconds());
            fields.put("real_epoch_validation_seconds", epoch.seconds() - trainSeconds);
            fields.put("loop_overhead_fraction", 1 - epoch.imagesPerSecond() / result.trainImagesPerSecond());
        }
        LayersComparison.Result comparison = null;
        if (compareLayers) {
            comparison = LayersComparison.run(settings);
            fields.put("layers_comparison", comparison.toMap());
        }
        if (json) {
            stdout.println(new ObjectMapper().writeValueAsString(fields));
            return 0;
        }
        stdout.printf(Locale.ROOT, "%s, batch %d at %dx%d, %d timed iterations after %d warm-up, %s, cache "
                + "mode %s, memory allocator %s:%n", model.id(), settings.batchSize(), settings.inputSize(),
                settings.inputSize(), iterations, warmup, result.implementation(), cacheMode, fields.get("allocator"));
        stdout.printf(Locale.ROOT, "  training   %,10.1f images/s%n", result.trainImagesPerSecond());
        stdout.printf(Locale.ROOT, "  inference  %,10.1f images/s%n", result.inferenceImagesPerSecond());
        if (realEpoch != null) {
            stdout.printf(Locale.ROOT, "  real epoch %,10.1f images/s training (%d images, full loop: %.1f %% "
                    + "below the pure steps), %.1f s with validation%n", fields.get("real_epoch_train_images_per_"
                    + "second"), realEpoch, 100 * (double) fields.get("loop_overhead_fraction"),
                    fields.get("real_epoch_seconds"));
        }
        if (comparison != null) {
            stdout.printf(Locale.ROOT, "  layers     %,10.1f images/s training with the project's layers, %,.1f with "
                    + "DL4J's classes (%s): %.2fx, %d alternating steps each%n", comparison.fastImagesPerSecond(),
                    comparison.dl4jImagesPerSecond(), comparison.dl4jImplementation(), comparison.gain(), iterations);
        }
        long peak = (long) fields.get("peak_rss_bytes");
        stdout.println("  peak RSS   " + (peak < 0 ? "unknown" : String.format(Locale.ROOT, "%,10d MB", peak >> 20)));
        return 0;
    }

    /** One epoch of the real training loop in a temporary run directory, its output discarded. */
    private EpochMetrics realEpoch(int batch, ThreadCount count) throws IOException, DatasetException {
        try (TemporaryDirectory runs = TemporaryDirectory.create("moderncnns-benchmark-run")) {
            RunSpec spec = RunSpec.notebook(model).withRecipe(Recipe.notebook(model).withEpochs(1)
                    .withBatchSize(batch)).withLimit(realEpoch).withDataDirectory(data.directory);
            PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
            TrainingResult result = NotebookTraining.start(spec, runs.path().resolve("run"),
                    new NotebookTraining.Options(discard, false, null).withThreads(count.threads()));
            return result.history().last().orElseThrow();
        }
    }
}
