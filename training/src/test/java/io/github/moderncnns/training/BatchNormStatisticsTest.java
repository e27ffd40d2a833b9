package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.moderncnns.architectures.Architecture;
import io.github.moderncnns.architectures.BatchNormLeNet;
import io.github.moderncnns.architectures.ResNet;
import io.github.moderncnns.architectures.TorchParameter;
import io.github.moderncnns.architectures.TorchWeights;
import io.github.moderncnns.architectures.Vgg;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Re-estimating batch-norm statistics, against PyTorch's {@code update_bn}. */
class BatchNormStatisticsTest {
    @TempDir
    Path dir;

    /** The fixture's minibatch b: x = 0.5 + 0.5 sin(0.1 k + b), rounded to float32 as in the Python script. */
    private static DataSet minibatch(int b, int size, DataType type) {
        int n = 16 * size * size;
        float[] x = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = (float) (0.5 + 0.5 * Math.sin(0.1 * k + b));
        }
        return new DataSet(Nd4j.create(x, new long[] {16, 1, size, size}, 'c').castTo(type),
                Nd4j.zeros(type, 16, 10));
    }

    /**
     * tools/make_batchnorm_fixtures.py: BN-LeNet with the formula weights, torch.optim.swa_utils.update_bn over
     * three minibatches, float64 on both sides. Every running mean and variance (two conv and two dense batch
     * norms) must match.
     */
    @Test
    void reproducesPyTorchsUpdateBn() throws IOException {
        Path npz = dir.resolve("fixture.npz");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/torch-precise-bn-lenet.npz")) {
            Files.copy(in, npz);
        }
        Map<String, INDArray> stateDict = new HashMap<>();
        Map<String, INDArray> expected = new HashMap<>();
        TorchWeights.readNpz(npz).forEach((name, value) -> {
            if (name.startsWith("expected.")) {
                expected.put(name.substring("expected.".length()), value);
            } else {
                stateDict.put(name, value);
            }
        });
        Architecture lenet = BatchNormLeNet.builder().optDataType(DataType.DOUBLE).build();
        ComputationGraph graph = lenet.init();
        TorchWeights.load(graph, lenet, stateDict);
        INDArray weightsBefore = graph.getLayer("conv1").getParam("W").dup();

        int used = BatchNormStatistics.recompute(graph,
                List.of(minibatch(0, 28, DataType.DOUBLE), minibatch(1, 28, DataType.DOUBLE),
                        minibatch(2, 28, DataType.DOUBLE)).iterator(), 10);

        assertThat(used).isEqualTo(3);
        List<String> compared = new ArrayList<>();
        for (TorchParameter parameter : lenet.torchParameters()) {
            INDArray want = expected.get(parameter.torchName());
            if (want == null) {
                continue;
            }
            INDArray got = parameter.toTorch(graph.getLayer(parameter.layer()).getParam(parameter.key()));
            for (int i = 0; i < want.length(); i++) {
                double w = want.getDouble(i);
                assertThat(got.getDouble(i)).as(parameter.torchName() + "[" + i + "]")
                        .isCloseTo(w, within(1e-9 * Math.max(1, Math.abs(w))));
            }
            compared.add(parameter.torchName());
        }
        assertThat(compared).hasSize(8).containsAll(expected.keySet());
        assertThat(graph.getLayer("conv1").getParam("W")).isEqualTo(weightsBefore); // only the statistics change
    }

    /**
     * ResNet-18's batch norms sit inside residual blocks. After re-estimating from one minibatch, inference mode
     * normalises with that minibatch's own statistics, as training mode does, except for the unbiased variance's
     * factor n/(n-1) (n = 16 x 3 x 3 in the last stage at 96x96): the largest gap between the two modes' output
     * probabilities shrinks from what the initial statistics (mean 0, variance 1) give to that factor's trace
     * (measured: 0.34 to 0.0033).
     */
    @Test
    void afterOneMinibatchInferenceComputesWhatTrainingModeComputes() {
        ComputationGraph resnet = ResNet.builder().optDataType(DataType.DOUBLE).build().init();
        DataSet batch = minibatch(0, 96, DataType.DOUBLE);
        INDArray training = resnet.output(true, batch.getFeatures())[0];
        double before = resnet.output(false, batch.getFeatures())[0].sub(training).amaxNumber().doubleValue();

        assertThat(BatchNormStatistics.recompute(resnet, List.of(batch).iterator(), 1)).isEqualTo(1);

        double after = resnet.output(false, batch.getFeatures())[0].sub(training).amaxNumber().doubleValue();
        assertThat(after).isLessThan(before / 20).isLessThan(0.01);
    }

    @Test
    void aGraphWithoutBatchNormIsLeftAlone() {
        ComputationGraph vgg = Vgg.builder().setConvArch(Vgg.VGG_11_SMALL).optInputSize(32).build().init();
        INDArray before = vgg.params().dup();
        assertThat(BatchNormStatistics.recompute(vgg, List.of(minibatch(0, 32, DataType.FLOAT)).iterator(), 5))
                .isZero();
        assertThat(vgg.params()).isEqualTo(before);
    }
}
