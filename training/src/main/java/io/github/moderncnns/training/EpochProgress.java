package io.github.moderncnns.training;

/**
 * How far an epoch had got when a mid-epoch checkpoint was written: enough to continue it after the same minibatch
 * of the same data order and still report the epoch's training loss and accuracy over all of its minibatches.
 * Stored as JSON inside the checkpoint (never Java-serialized).
 *
 * @param epoch the epoch in progress, from 1
 * @param batches minibatches of it trained
 * @param lossSum the sum of their losses
 * @param hits training predictions that were right
 * @param samples training images seen
 * @param trainSeconds training time spent on it so far (the time between a kill and the resume is not counted)
 * @param lastIteration the last iteration trained, from 1 (named by a divergence)
 */
public record EpochProgress(int epoch, int batches, double lossSum, long hits, long samples, double trainSeconds,
        int lastIteration) {
    /** Checks the values that a damaged or hand-edited file could get wrong. */
    public EpochProgress {
        if (epoch < 1 || batches < 1 || samples < batches || hits < 0 || hits > samples || trainSeconds < 0
                || !Double.isFinite(lossSum) || lastIteration < batches) {
            throw new IllegalArgumentException("not the progress of an epoch: epoch " + epoch + ", " + batches
                    + " batches, " + samples + " images, " + hits + " right, " + trainSeconds + " s, loss sum "
                    + lossSum + ", last iteration " + lastIteration);
        }
    }
}
