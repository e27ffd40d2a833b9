package io.github.moderncnns.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Builds the notebook's per-epoch metrics from DL4J's listener callbacks, so that any {@code graph.fit(...)} loop
 * gets them: the training loss is the mean of the minibatch losses and the training accuracy comes from the same
 * forward passes (dropout active), exactly as {@code train_epoch()}, with no second pass over the data (the network
 * needs a dense output layer with parameters {@code W} and {@code b}, as every network here has); at the end
 * of each epoch the validation loss and accuracy are computed in inference mode ({@link ModelEvaluator}).
 *
 * <p>Thread-safe, so that the replicas of {@link DataParallel} training can share one instance.
 *
 * <p>A model whose validation outputs are NaN or infinite stops the run with a {@link TrainingDivergedException};
 * a NaN training loss is {@link DivergenceCheck}'s to catch.
 *
 * <pre>{@code
 * EpochMetricsListener metrics = new EpochMetricsListener(validationIterator);
 * graph.addListeners(metrics);
 * graph.fit(trainIterator, 5);
 * TrainingHistory history = metrics.history();
 * }</pre>
 */
public final class EpochMetricsListener extends BaseTrainingListener {
    private final DataSetIterator validation;
    private final List<Consumer<EpochMetrics>> subscribers = new ArrayList<>();
    private TrainingHistory history;
    /** The interrupted epoch to continue at the next epoch start, or {@code null}. */
    private EpochProgress resumed;
    private int epoch;
    private int lastIteration;
    private long epochStart;
    private double lossSum;
    private int batches;
    private long hits;
    private long samples;
    /** Per thread: with {@link DataParallel} several workers' replicas report at once. */
    private final ThreadLocal<int[]> predictions = new ThreadLocal<>();

    /**
     * @param validation the validation data, evaluated at the end of every epoch
     */
    public EpochMetricsListener(DataSetIterator validation) {
        this(validation, TrainingHistory.empty());
    }

    /**
     * @param validation the validation data, evaluated at the end of every epoch
     * @param earlier the history of the epochs before this one (when resuming); numbering continues after it
     */
    public EpochMetricsListener(DataSetIterator validation, TrainingHistory earlier) {
        this(validation, earlier, null);
    }

    /**
     * @param validation the validation data, evaluated at the end of every epoch
     * @param earlier the history of the epochs before this one (when resuming); numbering continues after it
     * @param resumed the epoch after {@code earlier} as far as a mid-epoch checkpoint had trained it, or
     *                {@code null}: its sums are carried into that epoch, whose remaining minibatches follow
     */
    public EpochMetricsListener(DataSetIterator validation, TrainingHistory earlier, EpochProgress resumed) {
        this.validation = Objects.requireNonNull(validation, "validation");
        this.history = earlier;
        this.epoch = earlier.epochs().size();
        if (resumed != null && resumed.epoch() != epoch + 1) {
            throw new IllegalArgumentException("the interrupted epoch " + resumed.epoch() + " does not follow the "
                    + epoch + " epochs of the history");
        }
        this.resumed = resumed;
    }

    /**
     * @param subscriber called with each epoch's metrics as soon as they are complete
     */
    public void subscribe(Consumer<EpochMetrics> subscriber) {
        subscribers.add(subscriber);
    }

    /** The metrics of every completed epoch. */
    public TrainingHistory history() {
        return history;
    }

    /** The epoch being trained (from 1), or the last one completed between epochs. */
    public int currentEpoch() {
        return epoch;
    }

    /** @return how far the epoch in progress has got (after at least one minibatch of it) */
    public synchronized EpochProgress progress() {
        return new EpochProgress(epoch, batches, lossSum, hits, samples, (System.nanoTime() - epochStart) / 1e9,
                lastIteration);
    }

    @Override
    public synchronized void onEpochStart(Model model) {
        epoch++;
        epochStart = System.nanoTime();
        lossSum = 0;
        batches = 0;
        hits = 0;
        samples = 0;
        if (resumed != null) {
            epochStart -= (long) (resumed.trainSeconds() * 1e9);
            lossSum = resumed.lossSum();
            batches = resumed.batches();
            hits = resumed.hits();
            samples = resumed.samples();
            lastIteration = resumed.lastIteration();
            resumed = null;
        }
    }

    /**
     * DL4J's training forward pass stops before the output layer (it runs that with the loss, in backprop), so the
     * output layer's logits are computed here from its input as the forward pass left it (dropout included, when it
     * is a layer of its own as in our architectures) and its current weights: the notebook's {@code y_hat}.
     */
    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        ComputationGraph graph = (ComputationGraph) model;
        String output = graph.getConfiguration().getNetworkOutputs().get(0);
        String feeding = graph.getConfiguration().getVertexInputs().get(output).get(0);
        INDArray input = activations.get(feeding);
        INDArray flat = input.reshape('c', input.size(0), input.length() / input.size(0));
        INDArray logits = flat.mmul(graph.getLayer(output).getParam("W")).addiRowVector(graph.getLayer(output)
                .getParam("b"));
        predictions.set(logits.argMax(1).toIntVector());
    }

    /** Right after backprop, before DL4J clears the layers: the output layer still holds the minibatch's labels. */
    @Override
    public void onBackwardPass(Model model) {
        INDArray labels = ((IOutputLayer) ((ComputationGraph) model).getOutputLayer(0)).getLabels();
        int[] truth = labels.argMax(1).toIntVector();
        int[] predicted = predictions.get();
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            if (predicted != null && predicted.length == truth.length && predicted[i] == truth[i]) {
                correct++;
            }
        }
        synchronized (this) {
            hits += correct;
            samples += truth.length;
        }
    }

    @Override
    public synchronized void iterationDone(Model model, int iteration, int dl4jEpoch) {
        lastIteration = iteration + 1;
        lossSum += model.score();
        batches++;
    }

    /** @return the last iteration trained, from 1 (0 before the first) */
    synchronized int lastIteration() {
        return lastIteration;
    }

    @Override
    public synchronized void onEpochEnd(Model model) {
        double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
        EvaluationResult validationResult;
        try {
            validationResult = ModelEvaluator.evaluate((ComputationGraph) model, validation);
        } catch (ModelEvaluator.NonFiniteOutputException e) {
            throw new TrainingDivergedException(epoch, lastIteration, e.getMessage());
        }
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        EpochMetrics metrics = new EpochMetrics(epoch, batches == 0 ? Double.NaN : lossSum / batches,
                samples == 0 ? 0 : 100.0 * hits / samples, validationResult.loss(), validationResult.accuracy(),
                seconds, samples / trainSeconds);
        history = history.plus(metrics);
        subscribers.forEach(s -> s.accept(metrics));
    }
}
