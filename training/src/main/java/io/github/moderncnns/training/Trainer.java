package io.github.moderncnns.training;

import io.github.moderncnns.architectures.LayerHelpers;
import io.github.moderncnns.data.FashionMnistIterator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The notebook's {@code train(net, train_iter, val_iter, test_iter, num_epochs, lr, device)} for any DL4J
 * {@link ComputationGraph}: each epoch trains on the training data and evaluates on the validation data, printing
 * the notebook's line; after the last epoch the test data is evaluated. Metrics come from an
 * {@link EpochMetricsListener}; more listeners can be added.
 *
 * <p>With a run directory, every epoch also writes {@code metrics.csv}/{@code metrics.json} and a checkpoint (model
 * with updater state, see {@link Checkpoints}) and keeps the best-validation model; on one device with a
 * {@link FashionMnistIterator}, a mid-epoch checkpoint is also written every {@link #DEFAULT_CHECKPOINT_INTERVAL}
 * (see {@link Builder#optCheckpointInterval}); at the end the test accuracy is
 * reported for both the last epoch (the notebook's number) and the best-validation epoch, and
 * {@code optRestoreBest(true)} returns the best model. A run continues from an earlier history
 * ({@code optHistory}) with the epoch after it, and a {@link FashionMnistIterator} gets that epoch's data order;
 * after a mid-epoch checkpoint ({@code optInterruptedEpoch}) it continues that epoch after the minibatches done.
 */
public final class Trainer {
    /**
     * The time between mid-epoch checkpoints. Writing one took 14 s for AlexNet (a 162 MB zip), 13 s for the small
     * VGG-11 and 4 s for ResNet-18 on the 2-core machine with a training run beside it: 2 % of 10 minutes, for
     * losing at most 10 minutes of a killed run instead of its epoch in progress (up to 1.5 hours).
     */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofMinutes(10);

    private final ComputationGraph model;
    private final DataSetIterator train;
    private final DataSetIterator validation;
    private final DataSetIterator test;
    private final int epochs;
    private final Path runDirectory;
    private final List<TrainingListener> listeners;
    private final int keepCheckpoints;
    private final boolean restoreBest;
    private final TrainingHistory earlier;
    private final EpochProgress interrupted;
    private final Duration checkpointInterval;
    private final PrintStream out;
    private final DataParallel dataParallel;
    private final EarlyStopping earlyStopping;

    private Trainer(Builder builder) {
        this.model = builder.model;
        this.train = builder.train;
        this.validation = builder.validation;
        this.test = builder.test;
        this.epochs = builder.epochs;
        this.runDirectory = builder.runDirectory;
        this.listeners = List.copyOf(builder.listeners);
        this.keepCheckpoints = builder.keepCheckpoints;
        this.restoreBest = builder.restoreBest;
        this.earlier = builder.earlier;
        this.interrupted = builder.interrupted;
        this.checkpointInterval = builder.checkpointInterval;
        this.out = builder.out;
        this.dataParallel = builder.dataParallel;
        this.earlyStopping = builder.earlyStopping;
    }

    /** A builder: {@code setX} settings are required, {@code optX} optional. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link Trainer}. */
    public static final class Builder {
        private ComputationGraph model;
        private DataSetIterator train;
        private DataSetIterator validation;
        private DataSetIterator test;
        private int epochs;
        private Path runDirectory;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private int keepCheckpoints = 2;
        private boolean restoreBest;
        private TrainingHistory earlier = TrainingHistory.empty();
        private EpochProgress interrupted;
        private Duration checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
        private PrintStream out = System.out;
        private DataParallel dataParallel = DataParallel.single();
        private EarlyStopping earlyStopping = EarlyStopping.NEVER;

        private Builder() {
        }

        /**
         * @param model the initialised network (required)
         * @return this builder
         */
        public Builder setModel(ComputationGraph model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * @param train the training data, reshuffled by the iterator (required)
         * @return this builder
         */
        public Builder setTrainData(DataSetIterator train) {
            this.train = Objects.requireNonNull(train, "train");
            return this;
        }

        /**
         * @param validation the validation data (required)
         * @return this builder
         */
        public Builder setValidationData(DataSetIterator validation) {
            this.validation = Objects.requireNonNull(validation, "validation");
            return this;
        }

        /**
         * @param epochs the total number of epochs, at least 1 (required)
         * @return this builder
         */
        public Builder setEpochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, found " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /**
         * @param test the test data, evaluated after the last epoch
         * @return this builder
         */
        public Builder optTestData(DataSetIterator test) {
            this.test = test;
            return this;
        }

        /**
         * @param runDirectory where metrics and checkpoints go (none by default)
         * @return this builder
         */
        public Builder optRunDirectory(Path runDirectory) {
            this.runDirectory = runDirectory;
            return this;
        }

        /**
         * @param listener a further DL4J listener (progress, UI, your own)
         * @return this builder
         */
        public Builder optListener(TrainingListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @param keep epoch checkpoints to keep (default 2)
         * @return this builder
         */
        public Builder optKeepCheckpoints(int keep) {
            if (keep < 1) {
                throw new IllegalArgumentException("keep must be at least 1, found " + keep);
            }
            this.keepCheckpoints = keep;
            return this;
        }

        /**
         * @param restoreBest return the best-validation model instead of the last one
         * @return this builder
         */
        public Builder optRestoreBest(boolean restoreBest) {
            this.restoreBest = restoreBest;
            return this;
        }

        /**
         * @param earlier the epochs already trained (when resuming)
         * @return this builder
         */
        public Builder optHistory(TrainingHistory earlier) {
            this.earlier = Objects.requireNonNull(earlier, "earlier");
            return this;
        }

        /**
         * @param interrupted the epoch after the history as far as a mid-epoch checkpoint had trained it: training
         *                    continues after its minibatches done (needs a {@link FashionMnistIterator})
         * @return this builder
         */
        public Builder optInterruptedEpoch(EpochProgress interrupted) {
            this.interrupted = Objects.requireNonNull(interrupted, "interrupted");
            return this;
        }

        /**
         * @param interval the time between mid-epoch checkpoints (default {@link #DEFAULT_CHECKPOINT_INTERVAL});
         *                 {@code Duration.ZERO} writes none. They need a run directory, one device and a
         *                 {@link FashionMnistIterator} (which can continue an epoch in the middle).
         * @return this builder
         */
        public Builder optCheckpointInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("the checkpoint interval must not be negative, found " + interval);
            }
            this.checkpointInterval = interval;
            return this;
        }

        /**
         * @param out where the notebook's lines go (default standard output)
         * @return this builder
         */
        public Builder optOut(PrintStream out) {
            this.out = Objects.requireNonNull(out, "out");
            return this;
        }

        /**
         * @param dataParallel train on several workers with DL4J's ParallelWrapper (default: one device); the
         *                     metrics, listeners, checkpoints and report work as for one device
         * @return this builder
         */
        public Builder optDataParallel(DataParallel dataParallel) {
            this.dataParallel = Objects.requireNonNull(dataParallel, "dataParallel");
            return this;
        }

        /**
         * @param earlyStopping when to stop before the last epoch (default never)
         * @return this builder
         */
        public Builder optEarlyStopping(EarlyStopping earlyStopping) {
            this.earlyStopping = Objects.requireNonNull(earlyStopping, "earlyStopping");
            return this;
        }

        /**
         * @return the trainer
         * @throws IllegalStateException if a required setting is missing
         */
        public Trainer build() {
            if (model == null || train == null || validation == null || epochs == 0) {
                throw new IllegalStateException("setModel, setTrainData, setValidationData and setEpochs are required");
            }
            if (interrupted != null && !(train instanceof FashionMnistIterator)) {
                throw new IllegalStateException("continuing an interrupted epoch needs a FashionMnistIterator, which "
                        + "can skip the minibatches done; found " + train.getClass().getName());
            }
            return new Trainer(this);
        }
    }

    /**
     * Trains until {@code epochs} epochs are done (counting the earlier history).
     *
     * @return the final model, history and test results
     * @throws IOException if writing metrics or checkpoints fails
     * @throws TrainingDivergedException if the loss becomes NaN or infinite (checkpoints of earlier epochs stay)
     */
    public TrainingResult train() throws IOException {
        // data-parallel replicas are created during training: they get the helpers the model has
        try (LayerHelpers.Scope helpers = LayerHelpers.on()) {
            return trainWithHelpers();
        }
    }

    private TrainingResult trainWithHelpers() throws IOException {
        EpochMetricsListener metrics = new EpochMetricsListener(validation, earlier, interrupted);
        List<TrainingListener> before = new ArrayList<>(model.getListeners());
        List<TrainingListener> all = new ArrayList<>();
        all.add(new DivergenceCheck()); // first: no other listener sees a broken loss
        all.add(metrics);
        Checkpoints checkpoints = runDirectory == null ? null : new Checkpoints(runDirectory, keepCheckpoints);
        if (checkpoints != null && !checkpointInterval.isZero() && !dataParallel.isParallel()
                && train instanceof FashionMnistIterator fashion) {
            all.add(new MidEpochCheckpoints(checkpoints, metrics, checkpointInterval, fashion.batchesPerEpoch()));
        }
        all.addAll(listeners);
        all.addAll(before); // listeners the caller attached to the model fire too
        model.setListeners(all);
        ParallelWrapper wrapper = null;
        if (dataParallel.isParallel()) {
            wrapper = dataParallel.wrap(model); // takes over the model's listeners for the workers' replicas
        }
        Optional<String> earlyStop = Optional.empty();
        try {
            for (int epoch = earlier.epochs().size() + 1; epoch <= epochs; epoch++) {
                earlyStop = earlyStopping.reasonToStop(metrics.history());
                if (earlyStop.isPresent()) {
                    out.println("Training " + earlyStop.get());
                    break;
                }
                if (train instanceof FashionMnistIterator fashion) {
                    fashion.setEpoch(epoch - 1, interrupted != null && interrupted.epoch() == epoch
                            ? interrupted.batches() : 0);
                }
                if (wrapper == null) {
                    model.fit(train);
                } else {
                    // the wrapper fits minibatches on the replicas, which fire no epoch events: fire them here, on
                    // the model that holds the averaged parameters
                    all.forEach(listener -> listener.onEpochStart(model));
                    fitParallel(wrapper);
                    if (dataParallel.mode() == DataParallel.Mode.GRADIENT_SHARING) {
                        reestimateBatchNormStatistics(); // before the epoch's validation in onEpochEnd
                    }
                    all.forEach(listener -> listener.onEpochEnd(model));
                }
                recordEpoch(metrics.history(), checkpoints);
            }
        } finally {
            if (wrapper != null) {
                dataParallel.release(wrapper, model);
            }
            model.setListeners(before);
        }
        return testAtTheEnd(metrics, checkpoints, earlyStop);
    }

    /**
     * The notebook's line for the epoch just trained, then (with a run directory) its metrics, its model if it is
     * the best so far, and its checkpoint, in this order: a run killed at any point resumes consistently, because an
     * epoch's checkpoint exists only once its metrics and (if it is the best) its best model are on disk.
     */
    private void recordEpoch(TrainingHistory history, Checkpoints checkpoints) throws IOException {
        EpochMetrics done = history.last().orElseThrow();
        out.println(done.notebookLine());
        if (checkpoints != null) {
            history.write(runDirectory);
            if (history.best().orElseThrow().epoch() == done.epoch()) {
                checkpoints.saveBest(model);
            }
            checkpoints.save(model, done.epoch());
            checkpoints.deletePartial(); // superseded by the epoch's checkpoint
        }
    }

    /**
     * After the last epoch: the test set once for the last epoch's model (the notebook's number) and once for the
     * best-validation epoch's, and which of them is the result.
     */
    private TrainingResult testAtTheEnd(EpochMetricsListener metrics, Checkpoints checkpoints,
            Optional<String> earlyStop) throws IOException {
        TrainingHistory history = metrics.history();
        int bestEpoch = history.best().map(EpochMetrics::epoch).orElse(0);
        Optional<EvaluationResult> lastTest = Optional.empty();
        Optional<EvaluationResult> bestTest = Optional.empty();
        ComputationGraph result = model;
        if (test != null) {
            EvaluationResult last = test(model, metrics);
            lastTest = Optional.of(last);
            out.println(last.notebookTestLine());
        }
        if (checkpoints != null && checkpoints.best().isPresent() && bestEpoch != history.epochs().size()) {
            ComputationGraph best = new Checkpoints.Saved(checkpoints.best().get(), bestEpoch).load();
            if (test != null) {
                EvaluationResult bestResult = test(best, metrics);
                bestTest = Optional.of(bestResult);
                out.println("Best validation epoch " + bestEpoch + ": " + bestResult.notebookTestLine());
            }
            if (restoreBest) {
                result = best;
            }
        } else if (test != null) {
            bestTest = lastTest; // the last epoch is the best one
        }
        return new TrainingResult(result, history, lastTest, bestTest, bestEpoch, earlyStop);
    }

    /** The test set's evaluation; a model that computes NaN there has diverged as much as one that trains to NaN. */
    private EvaluationResult test(ComputationGraph graph, EpochMetricsListener metrics) {
        try {
            return ModelEvaluator.evaluate(graph, test);
        } catch (ModelEvaluator.NonFiniteOutputException e) {
            throw new TrainingDivergedException(metrics.history().epochs().size(), metrics.lastIteration(),
                    e.getMessage());
        }
    }

    /**
     * Gradient sharing leaves the running statistics of batch norm behind the weights: re-estimate them from the
     * first training minibatches of the epoch's order.
     */
    private void reestimateBatchNormStatistics() {
        train.reset();
        BatchNormStatistics.recompute(model, train, BatchNormStatistics.GRADIENT_SHARING_MINIBATCHES);
        train.reset();
    }

    /**
     * One epoch on the workers, each on a batch of its own ({@link IndependentBatches}); a divergence in a worker
     * thread surfaces as itself, not wrapped twice.
     */
    private void fitParallel(ParallelWrapper wrapper) {
        try {
            wrapper.fit(new IndependentBatches(train));
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof TrainingDivergedException diverged) {
                    throw diverged;
                }
            }
            throw e;
        }
    }
}
