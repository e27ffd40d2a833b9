package io.github.moderncnns.training;

import java.util.Locale;

/**
 * How a recipe's learning rate moves over a run: a shape and an optional linear warm-up in epochs. The notebook's
 * is constant without warm-up. {@link #rates} makes it concrete for a run's length ({@link LearningRates}, which
 * says each formula).
 *
 * @param shape constant, step, cosine or one-cycle
 * @param warmupEpochs epochs of linear warm-up from almost 0 to the base rate (for one-cycle: of its rising phase,
 *                     default 30 % of the run), 0 for none
 */
public record Schedule(Shape shape, int warmupEpochs) {
    /** The notebook's: the same rate throughout. */
    public static final Schedule CONSTANT = new Schedule(Shape.CONSTANT, 0);

    /** The schedule shapes. */
    public enum Shape {
        /** The same rate throughout. */
        CONSTANT,
        /** A tenth after half of the run, a hundredth after three quarters. */
        STEP,
        /** Half a cosine wave from the base rate down to 0. */
        COSINE,
        /** Up from a 25th of the rate to the rate, then down to almost 0 (Smith's one-cycle policy). */
        ONE_CYCLE;

        /** The CLI's name, e.g. {@code one-cycle}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * @param id a name such as {@code cosine}
         * @return the shape
         * @throws IllegalArgumentException listing the names
         */
        public static Shape byId(String id) {
            for (Shape shape : values()) {
                if (shape.id().equals(id)) {
                    return shape;
                }
            }
            throw new IllegalArgumentException("unknown schedule '" + id + "'; expected one of constant, step, cosine, "
                    + "one-cycle");
        }
    }

    /** Validates the values. */
    public Schedule {
        java.util.Objects.requireNonNull(shape, "shape");
        if (warmupEpochs < 0) {
            throw new IllegalArgumentException("warm-up epochs must be at least 0, found " + warmupEpochs);
        }
    }

    /**
     * @param baseRate the base (for one-cycle: the maximum) learning rate
     * @param batchesPerEpoch minibatches per epoch
     * @param epochs the run's epochs
     * @return the rate of every minibatch of that run, for DL4J's updaters
     * @throws IllegalArgumentException if the warm-up is not shorter than the run
     */
    public LearningRates rates(double baseRate, int batchesPerEpoch, int epochs) {
        if (warmupEpochs >= epochs) {
            throw new IllegalArgumentException("a warm-up of " + warmupEpochs + " epochs leaves nothing of a "
                    + epochs + "-epoch run; use fewer warm-up epochs or more epochs");
        }
        return new LearningRates(shape, baseRate, batchesPerEpoch * epochs, batchesPerEpoch * warmupEpochs);
    }

    /** For reports: {@code cosine, 1 warm-up epoch}. */
    @Override
    public String toString() {
        return shape.id() + (warmupEpochs == 0 ? "" : ", " + warmupEpochs + " warm-up epoch"
                + (warmupEpochs == 1 ? "" : "s"));
    }
}
