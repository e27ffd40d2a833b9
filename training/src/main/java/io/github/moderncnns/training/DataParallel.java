package io.github.moderncnns.training;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.ParallelWrapper.TrainingMode;

/**
 * How many workers train one model on one machine, with DL4J's {@link ParallelWrapper}: each worker trains its own
 * replica on its own minibatches, and the replicas' parameters and updater states are averaged after every round
 * of one minibatch per worker. For plain SGD that equals one step on the workers' minibatches together, so N
 * workers at batch size B/N train like one device at batch size B (measured: docs/scale-out.md).
 *
 * <p>Only parameter averaging: ParallelWrapper's gradient sharing (SHARED_GRADIENTS) in DL4J 1.0.0-M2.1 leaves the
 * model it was given nearly untrained after {@code fit(DataSetIterator)} (the transfer of the workers' parameters
 * back is commented out upstream), so it is not offered. On a CPU the workers share the cores; the gain is on
 * machines with several GPUs or many cores. {@code workers == 1} is plain single-device training.
 *
 * @param workers replicas training in parallel, at least 1
 */
public record DataParallel(int workers) {
    /** Validates the value. */
    public DataParallel {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, found " + workers);
        }
    }

    /** One device: no ParallelWrapper. */
    public static DataParallel single() {
        return new DataParallel(1);
    }

    /** Whether more than one worker trains. */
    @JsonIgnore
    public boolean isParallel() {
        return workers > 1;
    }

    /**
     * The wrapper for a model: no prefetching of its own (our iterators prefetch, and reuse a batch's buffers once
     * two more batches have been taken, which a wrapper taking exactly one batch per worker per round respects).
     *
     * @param model the model whose parameters the workers' average lands in; the wrapper takes over its listeners
     * @return the wrapper; shut it down when training ends
     */
    ParallelWrapper wrap(ComputationGraph model) {
        return new ParallelWrapper.Builder<>(model).workers(workers).prefetchBuffer(0).averagingFrequency(1)
                .averageUpdaters(true).reportScoreAfterAveraging(false).trainingMode(TrainingMode.AVERAGING)
                .build();
    }
}
