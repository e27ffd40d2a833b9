package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * The DL4J updaters of {@link Optimizer} take PyTorch's steps: six steps of a fixed gradient sequence against
 * torch.optim (tools/make_schedule_fixtures.py), in float64.
 */
class OptimizerTest {

    private static double[][] expected(String optimizer) throws IOException {
        try (InputStream in = OptimizerTest.class.getResourceAsStream("/fixtures/torch-optimizer-steps.csv")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> line.startsWith(optimizer + ",")).toList();
            return lines.stream().map(line -> line.split(",")).map(f -> new double[] {Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Double.parseDouble(f[4])}).toArray(double[][]::new);
        }
    }

    /** Applies the updater as DL4J does: the gradient becomes the step, which is subtracted from the parameters. */
    private static void assertSteps(Optimizer optimizer, String torchName, double tolerance) throws IOException {
        double[][] expected = expected(torchName);
        assertThat(expected.length).isEqualTo(6);
        IUpdater config = optimizer.updater(new LearningRates(Schedule.Shape.CONSTANT, optimizer.learningRate(), 6,
                0));
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, config.stateSize(3));
        GradientUpdater<?> updater = config.instantiate(state, true);
        INDArray parameters = Nd4j.createFromArray(1.0, -2.0, 0.5).reshape(1, 3);
        for (int t = 0; t < 6; t++) {
            INDArray gradient = Nd4j.createFromArray(Math.sin(t), Math.sin(t + 1), Math.sin(t + 2)).reshape(1, 3);
            updater.applyUpdater(gradient, t, 0);
            parameters.subi(gradient);
            for (int k = 0; k < 3; k++) {
                assertThat(parameters.getDouble(0, k)).as("%s step %d parameter %d", torchName, t + 1, k)
                        .isCloseTo(expected[t][k], Offset.offset(tolerance));
            }
        }
    }

    @Test
    void heavyBallMomentumIsTorchsSgdWithMomentum() throws IOException {
        assertSteps(new Optimizer(Optimizer.Kind.MOMENTUM, 0.1, 0.9, 0), "momentum", 1e-12);
    }

    @Test
    void dl4jsNesterovsIsTorchsNesterovAtAConstantRate() throws IOException {
        assertSteps(new Optimizer(Optimizer.Kind.NESTEROV, 0.1, 0.9, 0), "nesterov", 1e-12);
    }

    @Test
    void dl4jsAdamIsTorchsAdamUpToWhereEpsilonSits() throws IOException {
        assertSteps(new Optimizer(Optimizer.Kind.ADAM, 0.1, 0, 0), "adam", 1e-7);
    }

    @Test
    void weightDecayIsCoupledL2ExceptForAdamW() {
        assertThat(Optimizer.sgd(0.1).regularization()).isEmpty();
        assertThat(new Optimizer(Optimizer.Kind.MOMENTUM, 0.1, 0.9, 5e-4).regularization()).get()
                .isInstanceOf(L2Regularization.class);
        assertThat(new Optimizer(Optimizer.Kind.ADAMW, 1e-3, 0, 0.01).regularization()).get()
                .isEqualTo(new WeightDecay(0.01, true));
        assertThat(new Optimizer(Optimizer.Kind.NESTEROV, 0.1, 0.9, 5e-4))
                .hasToString("nesterov 0.9, lr 0.1, weight decay 5.0E-4");
    }
}
