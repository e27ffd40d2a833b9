package io.github.moderncnns.training;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Stops a diverging run at once: a NaN or infinite minibatch loss throws {@link TrainingDivergedException} out of
 * {@code fit}, naming the epoch and iteration, instead of training on for hours on garbage. The {@link Trainer}
 * installs it first, so that no other listener sees the broken loss.
 */
public final class DivergenceCheck extends BaseTrainingListener {
    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        double loss = model.score();
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(epoch + 1, iteration + 1, loss);
        }
    }
}
