package io.github.moderncnns.training;

import io.github.moderncnns.architectures.CnnBuilder;
import io.github.moderncnns.architectures.LayerHelpers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Training speed of a network with the project's layers (batch norm and pooling through the project's kernels, the
 * activation after a batch norm fused in, a residual block's sum and ReLU as one vertex) against the same network of
 * DL4J's classes only (DL4J's batch-norm and pooling layers with their oneDNN helpers and libnd4j's ops, activation
 * layers, {@code ElementWiseVertex}), measured in one JVM by alternating their training steps on the same batch. Why
 * alternate: this machine's speed swings by 15 % and more within minutes, which two separate benchmark runs cannot
 * tell from a 10-20 % gain; within a pair of adjacent steps both sides see the same machine.
 */
public final class LayersComparison {
    private LayersComparison() {
    }

    /**
     * What was measured.
     *
     * @param settings network, batch, input size, timed steps per side and warm-up steps
     * @param fastImagesPerSecond training images/s with the project's layers
     * @param dl4jImagesPerSecond training images/s with DL4J's classes
     * @param dl4jImplementation what DL4J's graph used (oneDNN helpers, or its Java code)
     */
    public record Result(ModelBenchmark.Settings settings, double fastImagesPerSecond, double dl4jImagesPerSecond,
            String dl4jImplementation) {
        /** How many times faster the project's layers' steps were. */
        public double gain() {
            return fastImagesPerSecond / dl4jImagesPerSecond;
        }

        /** The fields for {@code benchmark --json}. */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("model", settings.model().id());
            map.put("batch_size", settings.batchSize());
            map.put("input_size", settings.inputSize());
            map.put("alternating_steps", settings.iterations());
            map.put("fast_train_images_per_second", fastImagesPerSecond);
            map.put("dl4j_train_images_per_second", dl4jImagesPerSecond);
            map.put("dl4j_implementation", dl4jImplementation);
            map.put("gain", gain());
            return map;
        }
    }

    /**
     * Runs the comparison (the settings' cache mode applies to both; helpers are on, as by default).
     *
     * @param settings what to measure
     * @return both speeds
     */
    public static Result run(ModelBenchmark.Settings settings) {
        ComputationGraph fast = graph(settings, true);
        ComputationGraph dl4j = graph(settings, false);
        DataSet batch = ModelBenchmark.randomBatch(settings);
        for (int i = 0; i < settings.warmup(); i++) {
            fast.fit(batch);
            dl4j.fit(batch);
        }
        long fastNanos = 0;
        long dl4jNanos = 0;
        for (int i = 0; i < settings.iterations(); i++) {
            long start = System.nanoTime();
            fast.fit(batch);
            long middle = System.nanoTime();
            dl4j.fit(batch);
            fastNanos += middle - start;
            dl4jNanos += System.nanoTime() - middle;
        }
        double images = (double) settings.batchSize() * settings.iterations() * 1e9;
        return new Result(settings, images / fastNanos, images / dl4jNanos, LayerHelpers.describe(dl4j));
    }

    private static ComputationGraph graph(ModelBenchmark.Settings settings, boolean fastLayers) {
        CnnBuilder<?> builder = settings.model().builder().optInputSize(settings.inputSize())
                .optCacheMode(settings.cacheMode()).optFastLayers(fastLayers);
        return builder.build().init();
    }
}
