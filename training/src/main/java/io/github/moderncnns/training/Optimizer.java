package io.github.moderncnns.training;

import java.util.Locale;
import java.util.Optional;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * A recipe's optimiser, in PyTorch's terms, and the DL4J updater and regularisation that do the same. The
 * notebook's is plain SGD without momentum or weight decay.
 *
 * <ul>
 *   <li>{@code sgd}: {@code torch.optim.SGD(lr)}, DL4J's {@code Sgd}.</li>
 *   <li>{@code momentum}: {@code SGD(lr, momentum)}, our {@link HeavyBallMomentum} (DL4J has none).</li>
 *   <li>{@code nesterov}: {@code SGD(lr, momentum, nesterov=True)}, DL4J's {@code Nesterovs}, which keeps the
 *       velocity scaled by the rate: the same steps at a constant rate (tested), slightly different ones while the
 *       rate changes.</li>
 *   <li>{@code adam}: {@code Adam(lr)} (betas 0.9, 0.999), DL4J's {@code Adam}; its epsilon sits at a slightly
 *       different place (steps agree to 1e-7).</li>
 *   <li>{@code adamw}: {@code AdamW(lr, weight_decay)}: Adam with decoupled weight decay (DL4J's
 *       {@code WeightDecay(wd, applyLR=true)}: {@code w -= lr wd w} beside the Adam step).</li>
 * </ul>
 * Weight decay of the others is PyTorch's {@code weight_decay}: {@code wd w} added to the gradient (DL4J's
 * {@code L2Regularization}). DL4J decays weights and biases but not batch-norm scale and shift.
 *
 * @param kind which optimiser
 * @param learningRate the base learning rate (the schedule scales it)
 * @param momentum the momentum of {@code momentum} and {@code nesterov}; 0 for the others
 * @param weightDecay the weight decay, 0 for none
 */
public record Optimizer(Kind kind, double learningRate, double momentum, double weightDecay) {
    /** The momentum of {@code momentum} and {@code nesterov} when none is given: the usual 0.9. */
    public static final double DEFAULT_MOMENTUM = 0.9;

    /** The optimisers. */
    public enum Kind {
        /** Plain SGD, the notebook's. */
        SGD,
        /** SGD with heavy-ball momentum. */
        MOMENTUM,
        /** SGD with Nesterov momentum. */
        NESTEROV,
        /** Adam. */
        ADAM,
        /** Adam with decoupled weight decay. */
        ADAMW;

        /** The CLI's name, e.g. {@code adamw}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @param id a name such as {@code nesterov}
         * @return the kind
         * @throws IllegalArgumentException listing the names
         */
        public static Kind byId(String id) {
            for (Kind kind : values()) {
                if (kind.id().equals(id)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown optimizer '" + id + "'; expected one of sgd, momentum, "
                    + "nesterov, adam, adamw");
        }

        boolean hasMomentum() {
            return this == MOMENTUM || this == NESTEROV;
        }
    }

    /** Validates the values. */
    public Optimizer {
        java.util.Objects.requireNonNull(kind, "kind");
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, found " + learningRate);
        }
        if (kind.hasMomentum() ? !(momentum >= 0 && momentum < 1) : momentum != 0) {
            throw new IllegalArgumentException(kind.hasMomentum() ? "momentum must be in [0, 1), found " + momentum
                    : "the " + kind.id() + " optimizer has no momentum (found " + momentum
                            + "); choose momentum or nesterov");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be at least 0, found " + weightDecay);
        }
    }

    /**
     * The notebook's optimiser: plain SGD at a rate.
     *
     * @param learningRate the rate
     * @return {@code sgd} at that rate
     */
    public static Optimizer sgd(double learningRate) {
        return new Optimizer(Kind.SGD, learningRate, 0, 0);
    }

    /**
     * @param kind another optimiser
     * @return this one's rate and weight decay with that kind (and the default momentum if it has one)
     */
    public Optimizer withKind(Kind kind) {
        double value = kind.hasMomentum() ? (this.kind.hasMomentum() ? momentum : DEFAULT_MOMENTUM) : 0;
        return new Optimizer(kind, learningRate, value, weightDecay);
    }

    /**
     * The DL4J updater for a run. A constant rate without warm-up is DL4J's plain number, not a schedule: the
     * notebook's networks keep exactly the configuration they had before recipes existed, so their checkpoints (and
     * runs resumed from them, with more epochs too) still match.
     *
     * @param schedule how the rate moves
     * @param batchesPerEpoch minibatches per epoch
     * @param epochs the run's epochs
     * @return the updater
     */
    public IUpdater updater(Schedule schedule, int batchesPerEpoch, int epochs) {
        if (schedule.equals(Schedule.CONSTANT)) {
            return switch (kind) {
                case SGD -> new Sgd(learningRate);
                case MOMENTUM -> new HeavyBallMomentum(new FixedSchedule(learningRate), momentum);
                case NESTEROV -> new Nesterovs(learningRate, momentum);
                case ADAM, ADAMW -> new Adam(learningRate);
            };
        }
        return updater(schedule.rates(learningRate, batchesPerEpoch, epochs));
    }

    /**
     * @param rates the learning rate of every minibatch (see {@link Schedule#rates})
     * @return the DL4J updater
     */
    public IUpdater updater(ISchedule rates) {
        return switch (kind) {
            case SGD -> new Sgd(rates);
            case MOMENTUM -> new HeavyBallMomentum(rates, momentum);
            case NESTEROV -> new Nesterovs(rates, momentum);
            case ADAM, ADAMW -> new Adam(rates);
        };
    }

    /** The DL4J regularisation that is this optimiser's weight decay, if it has one. */
    public Optional<Regularization> regularization() {
        if (weightDecay == 0) {
            return Optional.empty();
        }
        return Optional.of(kind == Kind.ADAMW ? new WeightDecay(weightDecay, true)
                : new L2Regularization(weightDecay));
    }

    /** For reports: {@code momentum 0.9, lr 0.1, weight decay 5e-4}. */
    @Override
    public String toString() {
        return kind.id() + (kind.hasMomentum() ? " " + momentum : "") + ", lr " + learningRate
                + (weightDecay == 0 ? "" : ", weight decay " + weightDecay);
    }
}
