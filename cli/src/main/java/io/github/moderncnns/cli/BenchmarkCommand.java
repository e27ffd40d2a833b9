package io.github.moderncnns.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.data.DataPipelineBenchmark;
import io.github.moderncnns.training.TrainingPreset;
import io.github.moderncnns.training.TrainingUi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code benchmark}: training and inference speed of a network on random data. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Training and inference images/s and peak memory of a network at the notebook's settings, on "
                + "random data, after a warm-up.")
final class BenchmarkCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, converter = ModelOption.class,
            completionCandidates = ModelOption.class, description = "One of: ${COMPLETION-CANDIDATES}.")
    NotebookModel model;

    @Option(names = "--batch-size", converter = Positive.class, description = "Default: the preset's.")
    Integer batchSize;

    @Option(names = "--iterations", converter = Positive.class, defaultValue = "10",
            description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed iterations first (default: "
            + "${DEFAULT-VALUE}).")
    int warmup;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--ui-stats-frequency", defaultValue = "0", description = "Record DL4J UI statistics every N "
            + "iterations while training, as train does, to measure what that costs (default: 0, off).")
    int uiStatsFrequency;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        TrainingPreset preset = TrainingPreset.of(model);
        int batch = batchSize != null ? batchSize : preset.batchSize();
        int side = preset.resize();
        ComputationGraph graph = model.builder().optInputSize(side).optUpdater(new Sgd(preset.learningRate()))
                .build().init();
        INDArray features = Nd4j.rand(DataType.FLOAT, batch, 1, side, side);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, i % 10, 1f);
        }
        DataSet data = new DataSet(features, labels);
        Path statsDirectory = null;
        if (uiStatsFrequency > 0) {
            statsDirectory = Files.createTempDirectory("moderncnns-benchmark");
            graph.setListeners(TrainingUi.record(statsDirectory, uiStatsFrequency).listener());
        }
        for (int i = 0; i < warmup; i++) {
            graph.fit(data);
        }
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            graph.fit(data);
        }
        double train = (double) batch * iterations / ((System.nanoTime() - start) / 1e9);
        graph.setListeners(new java.util.ArrayList<org.deeplearning4j.optimize.api.TrainingListener>());
        if (statsDirectory != null) {
            try (var files = Files.walk(statsDirectory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        for (int i = 0; i < warmup; i++) {
            graph.output(false, features);
        }
        start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            graph.output(false, features);
        }
        double inference = (double) batch * iterations / ((System.nanoTime() - start) / 1e9);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model", model.id());
        result.put("batch_size", batch);
        result.put("input_size", side);
        result.put("iterations", iterations);
        result.put("train_images_per_second", train);
        result.put("inference_images_per_second", inference);
        result.put("peak_rss_bytes", DataPipelineBenchmark.peakResidentBytes());
        result.put("threads", threads.effective());
        result.put("ui_stats_frequency", uiStatsFrequency);
        result.put("backend", Nd4j.getBackend().getClass().getSimpleName());
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(result));
        } else {
            System.out.printf(Locale.ROOT, "%s, batch %d at %dx%d, %d timed iterations after %d warm-up:%n",
                    model.id(), batch, side, side, iterations, warmup);
            System.out.printf(Locale.ROOT, "  training   %,10.1f images/s%n", train);
            System.out.printf(Locale.ROOT, "  inference  %,10.1f images/s%n", inference);
            System.out.printf(Locale.ROOT, "  peak RSS   %,10d MB%n", DataPipelineBenchmark.peakResidentBytes() >> 20);
        }
        return 0;
    }
}
