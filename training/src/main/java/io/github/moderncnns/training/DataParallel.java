package io.github.moderncnns.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.ParallelWrapper.TrainingMode;

/**
 * How many workers train one model on one machine, and how they agree, with DL4J's {@link ParallelWrapper}. Each
 * worker trains its own replica on its own minibatches.
 * <ul>
 * <li>{@link Mode#AVERAGING} (default): the replicas' parameters and updater states are averaged after every round
 * of one minibatch per worker. For plain SGD that equals one step on the workers' minibatches together, so N workers
 * at batch size B/N train like one device at batch size B (measured: docs/scale-out.md).</li>
 * <li>{@link Mode#GRADIENT_SHARING}: every worker's update is threshold-encoded (DL4J's adaptive threshold, from
 * 1e-3) and applied by all workers, without waiting for each other. Each parameter moves by at most the threshold
 * per step, so it learns more slowly than averaging at the notebook's few epochs; the model passed in is worker 0's
 * replica. Batch-norm running statistics travel through the same encoding and lag, so the trainer re-estimates them
 * after every epoch ({@link BatchNormStatistics}).</li>
 * </ul>
 * On a CPU the workers share the cores; the gain is on machines with several GPUs or many cores.
 * {@code workers == 1} is plain single-device training.
 *
 * @param workers replicas training in parallel, at least 1
 * @param mode how the replicas agree (null: averaging, as in run.json files written before the mode existed)
 */
public record DataParallel(int workers, Mode mode) {
    /** How the replicas agree. */
    public enum Mode {
        /** Parameters and updater states averaged after every round. */
        AVERAGING,
        /** Threshold-encoded updates shared between the workers. */
        GRADIENT_SHARING
    }

    /** Validates the values. */
    @JsonCreator
    public DataParallel(@JsonProperty("workers") int workers, @JsonProperty("mode") Mode mode) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, found " + workers);
        }
        this.workers = workers;
        this.mode = mode == null ? Mode.AVERAGING : mode;
    }

    /**
     * @param workers replicas training in parallel, at least 1
     * @return that many workers averaging parameters
     */
    public static DataParallel averaging(int workers) {
        return new DataParallel(workers, Mode.AVERAGING);
    }

    /**
     * @param workers replicas training in parallel, at least 1
     * @return that many workers sharing gradients
     */
    public static DataParallel gradientSharing(int workers) {
        return new DataParallel(workers, Mode.GRADIENT_SHARING);
    }

    /** One device: no ParallelWrapper. */
    public static DataParallel single() {
        return averaging(1);
    }

    /** Whether more than one worker trains. */
    @JsonIgnore
    public boolean isParallel() {
        return workers > 1;
    }

    /** @return for example "2 workers (parameter averaging)" */
    public String describe() {
        return workers + (workers == 1 ? " worker" : " workers")
                + (mode == Mode.AVERAGING ? " (parameter averaging)" : " (gradient sharing)");
    }

    /**
     * The wrapper for a model: no prefetching of its own (our iterators prefetch). It keeps the batches it is given
     * without copying them: feed it through {@link IndependentBatches}, as the trainer does.
     *
     * @param model the model the training lands in; the wrapper takes over its listeners
     * @return the wrapper; {@link #release} it when training ends
     */
    ParallelWrapper wrap(ComputationGraph model) {
        ParallelWrapper.Builder<ComputationGraph> builder = new ParallelWrapper.Builder<>(model).workers(workers)
                .prefetchBuffer(0).reportScoreAfterAveraging(false);
        if (mode == Mode.AVERAGING) {
            builder.averagingFrequency(1).averageUpdaters(true).trainingMode(TrainingMode.AVERAGING);
        } else {
            builder.trainingMode(TrainingMode.SHARED_GRADIENTS)
                    .thresholdAlgorithm(new AdaptiveThresholdAlgorithm(1e-3));
        }
        return builder.build();
    }

    /**
     * Shuts the wrapper down and detaches the model from it, so that it trains alone afterwards.
     *
     * @param wrapper from {@link #wrap}
     * @param model the model it wrapped
     */
    void release(ParallelWrapper wrapper, ComputationGraph model) {
        wrapper.shutdown();
        if (mode == Mode.GRADIENT_SHARING) {
            model.setGradientsAccumulator(null); // the wrapper made the model worker 0 and left its accumulator on it
        }
    }
}
