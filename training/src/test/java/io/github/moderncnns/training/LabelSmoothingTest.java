package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

/** {@link LabelSmoothing} gives PyTorch's smoothed cross-entropy through DL4J's own loss. */
class LabelSmoothingTest {
    @Test
    void smoothedTargetsMakeDl4jsLossPyTorchsLabelSmoothingLoss() {
        DataSet batch = new DataSet(Nd4j.zeros(2, 1), Nd4j.createFromArray(new double[][] {{0, 1, 0, 0}, {1, 0, 0, 0}}));
        new LabelSmoothing(0.1).preProcess(batch);
        assertThat(batch.getLabels().toDoubleMatrix()[0]).containsExactly(0.025, 0.925, 0.025, 0.025);

        // torch.nn.functional.cross_entropy(torch.tensor([[1., 2., 0.5, -1.], [0., 0., 3., 1.]]),
        //     torch.tensor([1, 0]), label_smoothing=0.1) = 1.8718396425247192 (PyTorch 1.13)
        double loss = new LossMCXENT().computeScore(batch.getLabels(), Nd4j.createFromArray(new double[][] {
            {1, 2, 0.5, -1}, {0, 0, 3, 1}}), new ActivationSoftmax(), null, true);
        assertThat(loss).isCloseTo(1.8718396425247192, org.assertj.core.data.Offset.offset(1e-6));
        assertThatThrownBy(() -> new LabelSmoothing(1)).hasMessageContaining("found 1.0");
    }
}
