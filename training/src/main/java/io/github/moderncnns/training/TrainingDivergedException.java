package io.github.moderncnns.training;

/**
 * The training loss became NaN or infinite: the run stops at once, and the last good checkpoint stays.
 */
public class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int iteration;

    /**
     * @param epoch the epoch, from 1
     * @param iteration the iteration within the run, from 1
     * @param loss the loss value found
     */
    public TrainingDivergedException(int epoch, int iteration, double loss) {
        this(epoch, iteration, "the training loss became " + loss);
    }

    /**
     * @param epoch the epoch, from 1
     * @param iteration the last iteration trained, from 1
     * @param what what became NaN or infinite
     */
    public TrainingDivergedException(int epoch, int iteration, String what) {
        super(what + " in epoch " + epoch + ", iteration " + iteration + ": training diverged. Try a lower learning "
                + "rate (for example half of the current one).");
        this.epoch = epoch;
        this.iteration = iteration;
    }

    /** The epoch, from 1. */
    public int epoch() {
        return epoch;
    }

    /** The iteration within the run, from 1. */
    public int iteration() {
        return iteration;
    }
}
