package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link EarlyStopping} on scripted histories. */
class EarlyStoppingTest {

    private static TrainingHistory history(double... validationAccuracies) {
        List<EpochMetrics> epochs = new ArrayList<>();
        for (int i = 0; i < validationAccuracies.length; i++) {
            epochs.add(new EpochMetrics(i + 1, 0.5, 80, 0.5, validationAccuracies[i], 10, 100));
        }
        return new TrainingHistory(epochs);
    }

    @Test
    void stopsOncePatienceEpochsBroughtNoBetterValidationAccuracy() {
        EarlyStopping two = new EarlyStopping(2);
        assertThat(two.reasonToStop(history())).isEmpty();
        assertThat(two.reasonToStop(history(80, 85, 84))).isEmpty();
        assertThat(two.reasonToStop(history(80, 85, 84, 85))).contains("stopped early after epoch 4: the validation "
                + "accuracy has not improved for 2 epochs since epoch 2 (85.00 %)"); // equal is no improvement
        assertThat(two.reasonToStop(history(80, 85, 84, 86))).isEmpty();
        assertThat(EarlyStopping.NEVER.reasonToStop(history(90, 80, 70, 60))).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> new EarlyStopping(-1)).hasMessageContaining("found -1");
    }
}
