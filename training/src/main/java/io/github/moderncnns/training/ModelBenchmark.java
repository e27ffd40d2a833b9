package io.github.moderncnns.training;

import io.github.moderncnns.architectures.Architecture;
import io.github.moderncnns.architectures.LayerHelpers;
import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.data.DataPipelineBenchmark;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training and inference speed of one network on random data at the notebook's settings: the DL4J half of the
 * side-by-side comparison with PyTorch ({@code tools/benchmark-models.sh}). The levers DL4J offers (layer helpers,
 * cache mode, UI recording) are settings, so every experiment in docs/performance.md can be repeated.
 */
public final class ModelBenchmark {
    private ModelBenchmark() {
    }

    /**
     * What to measure.
     *
     * @param model the network
     * @param batchSize images per step
     * @param inputSize the input side in pixels
     * @param iterations timed steps (training) and forward passes (inference)
     * @param warmup untimed steps first
     * @param helpers whether the graph gets DL4J's layer helpers (oneDNN), as by default
     * @param cacheMode the graph's cache mode
     * @param uiStatsFrequency record DL4J UI statistics every N steps while training, 0 for none
     * @param uiHistograms whether those statistics include the model tab's histograms
     */
    public record Settings(NotebookModel model, int batchSize, int inputSize, int iterations, int warmup,
            boolean helpers, CacheMode cacheMode, int uiStatsFrequency, boolean uiHistograms) {
        /** Validates the values. */
        public Settings {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(cacheMode, "cacheMode");
            if (batchSize < 1 || inputSize < 1 || iterations < 1 || warmup < 0 || uiStatsFrequency < 0) {
                throw new IllegalArgumentException("batch size, input size and iterations must be at least 1, "
                        + "warm-up and UI statistics frequency at least 0");
            }
        }

        /**
         * The notebook's batch size and input size, the library's defaults for the rest.
         *
         * @param model the network
         * @param iterations timed steps
         * @return the settings
         */
        public static Settings notebook(NotebookModel model, int iterations) {
            Recipe recipe = Recipe.notebook(model);
            return new Settings(model, recipe.batchSize(), recipe.resize(), iterations, 2, true, CacheMode.DEVICE,
                    0, false);
        }
    }

    /**
     * What was measured.
     *
     * @param settings what was asked
     * @param trainImagesPerSecond training steps (forward, backward, SGD update)
     * @param inferenceImagesPerSecond forward passes in inference mode
     * @param peakResidentBytes the process's peak resident memory so far (-1 where Linux's /proc is missing)
     * @param implementation which implementation the conv, pooling and batch-norm layers used
     */
    public record Result(Settings settings, double trainImagesPerSecond, double inferenceImagesPerSecond,
            long peakResidentBytes, String implementation) {
        /** The fields under the JSON names {@code tools/bench_models_pytorch.py} prints too. */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("model", settings.model().id());
            map.put("batch_size", settings.batchSize());
            map.put("input_size", settings.inputSize());
            map.put("iterations", settings.iterations());
            map.put("train_images_per_second", trainImagesPerSecond);
            map.put("inference_images_per_second", inferenceImagesPerSecond);
            map.put("peak_rss_bytes", peakResidentBytes);
            map.put("threads", Nd4j.getEnvironment().maxMasterThreads()); // what --threads sets (ThreadCount)
            map.put("backend", "DL4J " + Nd4j.getBackend().getClass().getSimpleName());
            map.put("implementation", implementation);
            map.put("allocator", MemoryAllocator.jemallocLoaded() ? "jemalloc" : "libc");
            map.put("cache_mode", settings.cacheMode().name());
            map.put("ui_stats_frequency", settings.uiStatsFrequency());
            map.put("ui_histograms", settings.uiHistograms());
            return map;
        }
    }

    /**
     * Runs the measurement.
     *
     * @param settings what to measure
     * @return the speeds and memory
     * @throws IOException if the temporary UI statistics file cannot be written
     */
    public static Result run(Settings settings) throws IOException {
        ComputationGraph graph = graph(settings);
        String implementation = LayerHelpers.inUse(graph).isEmpty() ? "DL4J Java code"
                : "layer helpers " + String.join(", ", new java.util.TreeSet<>(LayerHelpers.inUse(graph).values()));
        DataSet data = randomBatch(settings);
        INDArray features = data.getFeatures();

        double train;
        if (settings.uiStatsFrequency() > 0) {
            try (TemporaryDirectory statistics = TemporaryDirectory.create("moderncnns-benchmark")) {
                graph.setListeners(TrainingUi.record(statistics.path(), settings.uiStatsFrequency(),
                        settings.uiHistograms()).listener());
                train = imagesPerSecond(settings, () -> graph.fit(data));
                graph.setListeners(new ArrayList<TrainingListener>());
            }
        } else {
            train = imagesPerSecond(settings, () -> graph.fit(data));
        }
        double inference = imagesPerSecond(settings, () -> graph.output(false, features));
        return new Result(settings, train, inference, DataPipelineBenchmark.peakResidentBytes(), implementation);
    }

    /** One batch of uniform random images with labels 0, 1, ..., 9, 0, ...: what every benchmark step trains on. */
    static DataSet randomBatch(Settings settings) {
        int batch = settings.batchSize();
        INDArray features = Nd4j.rand(DataType.FLOAT, batch, 1, settings.inputSize(), settings.inputSize());
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, i % 10, 1f);
        }
        return new DataSet(features, labels);
    }

    private static ComputationGraph graph(Settings settings) {
        // the builder's default updater is the notebook's SGD
        Architecture architecture = settings.model().builder().optInputSize(settings.inputSize())
                .optCacheMode(settings.cacheMode()).build();
        return settings.helpers() ? architecture.init() : LayerHelpers.withoutHelpers(architecture::init);
    }

    private static double imagesPerSecond(Settings settings, Runnable step) {
        for (int i = 0; i < settings.warmup(); i++) {
            step.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < settings.iterations(); i++) {
            step.run();
        }
        return (double) settings.batchSize() * settings.iterations() / ((System.nanoTime() - start) / 1e9);
    }
}
