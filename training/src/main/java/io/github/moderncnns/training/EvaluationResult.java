package io.github.moderncnns.training;

import org.nd4j.evaluation.classification.Evaluation;

/**
 * What the notebook's {@code evaluate_accuracy()} returns, plus DL4J's full {@link Evaluation} (per-class
 * precision, recall, F1 and the confusion matrix).
 *
 * @param loss mean over minibatches of the minibatch's mean cross-entropy ({@code total_loss / len(data_iter)})
 * @param accuracy percent of correct predictions
 * @param evaluation DL4J's evaluation of all predictions
 */
public record EvaluationResult(double loss, double accuracy, Evaluation evaluation) {
    /** The notebook's test line, {@code Test loss 0.32, Test accuracy 88.15}, for every way of training. */
    public String notebookTestLine() {
        return String.format(java.util.Locale.ROOT, "Test loss %.2f, Test accuracy %.2f", loss, accuracy);
    }
}
