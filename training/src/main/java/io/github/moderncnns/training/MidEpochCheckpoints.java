package io.github.moderncnns.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Writes a mid-epoch checkpoint ({@link Checkpoints#savePartial}) when {@code interval} has passed since the last
 * checkpoint of any kind, so that a killed run loses at most that interval, not the epoch in progress: an epoch of
 * the small VGG-11 took 1.5 hours on the 2-core machine. Must come after the run's {@link EpochMetricsListener},
 * whose sums it stores. One device only: with {@link DataParallel} the minibatches finish on the workers' replicas.
 */
final class MidEpochCheckpoints extends BaseTrainingListener {
    private final Checkpoints checkpoints;
    private final EpochMetricsListener metrics;
    private final long intervalNanos;
    private final int batchesPerEpoch;
    private long lastSave = System.nanoTime();

    /**
     * @param checkpoints the run's checkpoints
     * @param metrics the run's metrics, updated before this listener is called
     * @param interval the time between checkpoints, positive
     * @param batchesPerEpoch minibatches in an epoch (after the last one the epoch's own checkpoint follows)
     */
    MidEpochCheckpoints(Checkpoints checkpoints, EpochMetricsListener metrics, Duration interval,
            int batchesPerEpoch) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the checkpoint interval must be positive, found " + interval);
        }
        this.checkpoints = checkpoints;
        this.metrics = metrics;
        this.intervalNanos = interval.toNanos();
        this.batchesPerEpoch = batchesPerEpoch;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (System.nanoTime() - lastSave < intervalNanos) {
            return;
        }
        EpochProgress progress = metrics.progress();
        if (progress.batches() >= batchesPerEpoch) {
            return;
        }
        ComputationGraphConfiguration configuration = ((ComputationGraph) model).getConfiguration();
        int count = configuration.getIterationCount();
        configuration.setIterationCount(count + 1); // DL4J counts this minibatch only after its listeners
        try {
            checkpoints.savePartial((ComputationGraph) model, progress);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the mid-epoch checkpoint failed", e);
        } finally {
            configuration.setIterationCount(count);
        }
        lastSave = System.nanoTime();
    }

    @Override
    public void onEpochEnd(Model model) {
        lastSave = System.nanoTime(); // the epoch's own checkpoint follows
    }
}
