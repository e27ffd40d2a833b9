package io.github.moderncnns.training;

import java.util.Locale;
import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A {@link Schedule} made concrete for one run: the learning rate of every minibatch (DL4J's iteration, counted
 * from 0 over the whole run), computed as PyTorch's schedulers compute it when stepped once per minibatch, so that
 * a recipe means the same here and there (tested against {@code torch.optim.lr_scheduler} values). DL4J stores it
 * in the network's configuration JSON, so checkpoints and resumed runs keep it.
 *
 * <ul>
 *   <li>warm-up (all but one-cycle): minibatch {@code i < W} gets {@code base (i + 1) / W}
 *       ({@code LinearLR(1/W, 1, W - 1)}); the shape below then runs over the remaining {@code T - W} minibatches
 *       ({@code SequentialLR}).</li>
 *   <li>constant: {@code base}.</li>
 *   <li>step: {@code base} times 0.1 after half and again after three quarters of the minibatches
 *       ({@code MultiStepLR}).</li>
 *   <li>cosine: {@code base (1 + cos(pi j / (T - W))) / 2} at minibatch {@code j} after the warm-up
 *       ({@code CosineAnnealingLR}, down to 0).</li>
 *   <li>one-cycle: {@code OneCycleLR(max_lr=base, total_steps=T)}: from base/25 up to base over the first 30 %
 *       (or the warm-up, if one is given), then down to base/250,000, both halves cosine-shaped.</li>
 * </ul>
 */
public final class LearningRates implements ISchedule {
    private static final long serialVersionUID = 1L;
    private static final double STEP_FACTOR = 0.1;
    private static final double ONE_CYCLE_START_DIVISOR = 25;
    private static final double ONE_CYCLE_FINAL_DIVISOR = 1e4;
    private static final double ONE_CYCLE_RISE = 0.3;

    private final Schedule.Shape shape;
    private final double base;
    private final int totalIterations;
    private final int warmupIterations;

    /**
     * @param shape the schedule's shape
     * @param base the base (for one-cycle: the maximum) learning rate
     * @param totalIterations the run's minibatches, all epochs
     * @param warmupIterations minibatches of linear warm-up, 0 for none
     */
    @JsonCreator
    public LearningRates(@JsonProperty("shape") Schedule.Shape shape, @JsonProperty("base") double base,
            @JsonProperty("totalIterations") int totalIterations,
            @JsonProperty("warmupIterations") int warmupIterations) {
        this.shape = Objects.requireNonNull(shape, "shape");
        if (!(base > 0) || Double.isInfinite(base)) {
            throw new IllegalArgumentException("the learning rate must be a positive number, found " + base);
        }
        if (totalIterations < 1) {
            throw new IllegalArgumentException("a run has at least 1 minibatch, found " + totalIterations);
        }
        if (warmupIterations < 0 || warmupIterations >= totalIterations) {
            throw new IllegalArgumentException("the warm-up must be shorter than the run's " + totalIterations
                    + " minibatches, found " + warmupIterations);
        }
        this.base = base;
        this.totalIterations = totalIterations;
        this.warmupIterations = warmupIterations;
    }

    @JsonProperty("shape")
    public Schedule.Shape shape() {
        return shape;
    }

    @JsonProperty("base")
    public double base() {
        return base;
    }

    @JsonProperty("totalIterations")
    public int totalIterations() {
        return totalIterations;
    }

    @JsonProperty("warmupIterations")
    public int warmupIterations() {
        return warmupIterations;
    }

    /**
     * @param iteration the minibatch, from 0 over the whole run (beyond the run: the last minibatch's rate)
     * @param epoch the epoch (unused: the rate moves with every minibatch)
     * @return its learning rate
     */
    @Override
    public double valueAt(int iteration, int epoch) {
        int i = Math.min(Math.max(iteration, 0), totalIterations - 1);
        if (shape == Schedule.Shape.ONE_CYCLE) {
            return oneCycle(i);
        }
        if (i < warmupIterations) {
            return base * (i + 1) / warmupIterations;
        }
        int j = i - warmupIterations;
        int length = totalIterations - warmupIterations;
        return switch (shape) {
            case CONSTANT -> base;
            case STEP -> base * Math.pow(STEP_FACTOR, (j >= length / 2 ? 1 : 0) + (j >= length * 3 / 4 ? 1 : 0));
            case COSINE -> base * (1 + Math.cos(Math.PI * j / length)) / 2;
            case ONE_CYCLE -> throw new AssertionError("handled above");
        };
    }

    /** PyTorch's OneCycleLR (two phases, cosine annealing) at a step. */
    private double oneCycle(int step) {
        double initial = base / ONE_CYCLE_START_DIVISOR;
        double last = initial / ONE_CYCLE_FINAL_DIVISOR;
        double riseEnd = (warmupIterations > 0 ? warmupIterations : ONE_CYCLE_RISE * totalIterations) - 1;
        double fallEnd = totalIterations - 1;
        if (step <= riseEnd) {
            return cosine(initial, base, riseEnd <= 0 ? 1 : step / riseEnd);
        }
        return cosine(base, last, (step - riseEnd) / (fallEnd - riseEnd));
    }

    private static double cosine(double from, double to, double fraction) {
        return to + (from - to) / 2 * (Math.cos(Math.PI * fraction) + 1);
    }

    @Override
    public ISchedule clone() {
        return this; // immutable
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LearningRates that && shape == that.shape && base == that.base
                && totalIterations == that.totalIterations && warmupIterations == that.warmupIterations;
    }

    @Override
    public int hashCode() {
        return Objects.hash(shape, base, totalIterations, warmupIterations);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LearningRates(%s, base %s, %d minibatches, warm-up %d)", shape, base,
                totalIterations, warmupIterations);
    }
}
