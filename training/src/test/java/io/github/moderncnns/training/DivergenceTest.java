package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.moderncnns.architectures.BatchNormLeNet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;

/** A run whose model computes NaN stops with the epoch, the iteration and advice, wherever the NaN shows first. */
class DivergenceTest {

    private static Trainer.Builder trainer(ComputationGraph model) {
        return Trainer.builder().setModel(model)
                .setTrainData(SyntheticData.iterator(SyntheticData.images(128, 1), 32, 0))
                .setValidationData(SyntheticData.iterator(SyntheticData.images(64, 2), 32, 0))
                .optTestData(SyntheticData.iterator(SyntheticData.images(64, 3), 32, 0)).setEpochs(2)
                .optOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void aHugeLearningRateStopsTheRunInItsFirstEpoch() {
        ComputationGraph model = BatchNormLeNet.builder().optUpdater(new org.nd4j.linalg.learning.config.Sgd(1e30))
                .build().init();

        assertThatThrownBy(() -> trainer(model).build().train()).isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("in epoch 1, iteration ").hasMessageEndingWith("Try a lower learning rate (for "
                        + "example half of the current one).");
    }

    /**
     * Training normalises with each batch's own statistics; inference with the running ones. If only those are
     * broken, the training loss stays finite and the NaN appears first in the validation pass.
     */
    @Test
    void aNanThatShowsFirstInTheValidationPassStopsTheRunToo() {
        ComputationGraph model = BatchNormLeNet.builder().build().init();
        model.addListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model m, int iteration, int epoch) {
                if (iteration == 3) { // the first epoch's last iteration (4 batches of 32)
                    ((ComputationGraph) m).getLayer("bn1").getParam("log10stdev").assign(Double.NaN);
                }
            }
        });

        assertThatThrownBy(() -> trainer(model).build().train()).isInstanceOf(TrainingDivergedException.class)
                .hasMessage("the model's outputs are NaN or infinite on the evaluation data (batch 1): its weights "
                        + "or batch-norm statistics diverged in epoch 1, iteration 4: training diverged. Try a lower "
                        + "learning rate (for example half of the current one).");
    }
}
