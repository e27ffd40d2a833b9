package io.github.moderncnns.training;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * SGD with classical (heavy-ball) momentum, as {@code torch.optim.SGD(lr, momentum)}: {@code v = mu v + g;
 * w -= lr v}. DL4J 1.0.0-M2.1 has Nesterov momentum ({@code Nesterovs}) but not this one, which is what most
 * published recipes (and PyTorch's default {@code momentum=}) mean. Serialises into DL4J's configuration JSON like
 * DL4J's own updaters; its state (the velocity) is saved with the updater state in checkpoints.
 */
public final class HeavyBallMomentum implements IUpdater {
    private static final long serialVersionUID = 1L;

    private final ISchedule learningRates;
    private final double momentum;

    /**
     * @param learningRates the learning rate of every minibatch
     * @param momentum the momentum, in [0, 1)
     */
    @JsonCreator
    public HeavyBallMomentum(@JsonProperty("learningRates") ISchedule learningRates,
            @JsonProperty("momentum") double momentum) {
        this.learningRates = Objects.requireNonNull(learningRates, "learningRates");
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), found " + momentum);
        }
        this.momentum = momentum;
    }

    @JsonProperty("learningRates")
    public ISchedule learningRates() {
        return learningRates;
    }

    @JsonProperty("momentum")
    public double momentum() {
        return momentum;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater updater = new Updater(this);
        updater.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> state, boolean initializeStateArrays) {
        Updater updater = new Updater(this);
        updater.setState(state, initializeStateArrays);
        return updater;
    }

    @Override
    public IUpdater clone() {
        return this; // immutable
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRates.valueAt(iteration, epoch);
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        throw new UnsupportedOperationException("HeavyBallMomentum is immutable: build a new one with the schedule");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HeavyBallMomentum that && momentum == that.momentum
                && learningRates.equals(that.learningRates);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRates, momentum);
    }

    @Override
    public String toString() {
        return "HeavyBallMomentum(momentum " + momentum + ", " + learningRates + ")";
    }

    /** The velocity of one parameter block, a view into DL4J's updater state array. */
    private static final class Updater implements GradientUpdater<HeavyBallMomentum> {
        private static final String VELOCITY = "V";
        private final HeavyBallMomentum config;
        private INDArray velocity;

        Updater(HeavyBallMomentum config) {
            this.config = config;
        }

        @Override
        public HeavyBallMomentum getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> state, boolean initialize) {
            INDArray v = state.get(VELOCITY);
            if (state.size() != 1 || v == null) {
                throw new IllegalStateException("expected the state key " + VELOCITY + " alone, found "
                        + state.keySet());
            }
            velocity = v;
            if (initialize) {
                velocity.assign(0);
            }
        }

        @Override
        public Map<String, INDArray> getState() {
            return Map.of(VELOCITY, velocity);
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder,
                boolean initialize) {
            if (initialize) {
                viewArray.assign(0);
            }
            velocity = viewArray.reshape(gradientOrder, gradientShape);
        }

        /** Turns the gradient into the step DL4J subtracts from the parameters: {@code lr (mu v + g)}. */
        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            if (velocity == null) {
                throw new IllegalStateException("the updater has no state view yet");
            }
            velocity.muli(config.momentum).addi(gradient);
            gradient.assign(velocity).muli(config.getLearningRate(iteration, epoch));
        }
    }
}
