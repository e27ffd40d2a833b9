package io.github.moderncnns.training;

import java.util.Locale;
import java.util.Optional;

/**
 * Stops training once the validation accuracy has not improved for {@code patience} epochs: the epochs after that
 * would cost time (a ResNet-18 epoch is about half an hour on two cores) for a model the best-validation
 * checkpoint already beats. Decided from the history alone, so a resumed run stops where the uninterrupted one
 * would have.
 *
 * @param patience epochs without a better validation accuracy to wait, 0 never to stop early
 */
public record EarlyStopping(int patience) {
    /** Never stops early: the notebook's. */
    public static final EarlyStopping NEVER = new EarlyStopping(0);

    /** Validates the patience. */
    public EarlyStopping {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be at least 0 epochs (0: never stop early), found "
                    + patience);
        }
    }

    /**
     * @param history the epochs trained so far
     * @return why training stops now, or empty to go on
     */
    public Optional<String> reasonToStop(TrainingHistory history) {
        if (patience == 0 || history.epochs().isEmpty()) {
            return Optional.empty();
        }
        EpochMetrics best = history.best().orElseThrow();
        int last = history.last().orElseThrow().epoch();
        if (last - best.epoch() < patience) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "stopped early after epoch %d: the validation accuracy has not "
                + "improved for %d epochs since epoch %d (%.2f %%)", last, last - best.epoch(), best.epoch(),
                best.validationAccuracy()));
    }
}
