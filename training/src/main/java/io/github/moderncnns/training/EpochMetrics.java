package io.github.moderncnns.training;

import java.util.Locale;

/**
 * One epoch's numbers, as the notebook's {@code train()} collects them: the mean of the minibatch training losses
 * and the training accuracy from the same (dropout-active) forward passes, then the validation loss (mean over
 * validation batches) and accuracy in inference mode. Accuracies are in percent.
 *
 * @param epoch the epoch, from 1
 * @param trainLoss mean training minibatch loss
 * @param trainAccuracy training accuracy, percent
 * @param validationLoss mean validation minibatch loss
 * @param validationAccuracy validation accuracy, percent
 * @param seconds wall time of the epoch (training and validation)
 * @param imagesPerSecond training images per second
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
        double validationAccuracy, double seconds, double imagesPerSecond) {

    /** The notebook's line, plus time and speed: {@code Epoch 1, Train loss 0.79, Train accuracy 71.64, ...}. */
    public String notebookLine() {
        return String.format(Locale.ROOT, "Epoch %d, Train loss %.2f, Train accuracy %.2f, Validation loss %.2f, "
                + "Validation accuracy %.2f (%.1f s, %,.0f images/s)", epoch, trainLoss, trainAccuracy,
                validationLoss, validationAccuracy, seconds, imagesPerSecond);
    }
}
