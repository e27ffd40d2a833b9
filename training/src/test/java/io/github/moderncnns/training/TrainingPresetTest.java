package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.moderncnns.architectures.NotebookModel;
import org.junit.jupiter.api.Test;

class TrainingPresetTest {
    @Test
    void theNotebooksHyperParameters() {
        assertThat(TrainingPreset.of(NotebookModel.ALEXNET)).isEqualTo(
                new TrainingPreset(NotebookModel.ALEXNET, 128, 0.01, 5, 224));
        assertThat(TrainingPreset.of(NotebookModel.VGG11_SMALL)).isEqualTo(
                new TrainingPreset(NotebookModel.VGG11_SMALL, 128, 0.05, 5, 224));
        assertThat(TrainingPreset.of(NotebookModel.LENET_BN)).isEqualTo(
                new TrainingPreset(NotebookModel.LENET_BN, 256, 1.0, 10, 28));
        assertThat(TrainingPreset.of(NotebookModel.RESNET18)).isEqualTo(
                new TrainingPreset(NotebookModel.RESNET18, 256, 0.05, 5, 96));
    }

    @Test
    void overridesAreValidated() {
        TrainingPreset preset = TrainingPreset.of(NotebookModel.LENET_BN).withEpochs(2).withBatchSize(64)
                .withLearningRate(0.5).withResize(32);
        assertThat(preset).isEqualTo(new TrainingPreset(NotebookModel.LENET_BN, 64, 0.5, 2, 32));
        assertThatThrownBy(() -> preset.withEpochs(-1)).hasMessage("epochs must be at least 1, found -1");
        assertThatThrownBy(() -> preset.withLearningRate(Double.NaN))
                .hasMessage("learning rate must be a positive number, found NaN");
    }
}
