package io.github.moderncnns.architectures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Importing a PyTorch {@code state_dict} saved with {@code numpy.savez}. */
class TorchWeightsTest {
    @TempDir
    Path dir;

    private Path npz() throws IOException {
        Path file = dir.resolve("lenet.npz");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/torch-lenet-bn-state-dict.npz")) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void aStateDictFromNpzReproducesPyTorchsOutput() throws IOException {
        Architecture lenet = BatchNormLeNet.builder().build();
        ComputationGraph graph = lenet.init();
        Map<String, INDArray> stateDict = TorchWeights.readNpz(npz());

        assertThat(stateDict).containsKeys("0.weight", "1.running_var", "15.bias")
                .doesNotContainKey("1.num_batches_tracked"); // PyTorch's 0-d step counter, not needed
        TorchWeights.load(graph, lenet, stateDict);

        ArchitectureFixture fixture = ArchitectureFixture.load("lenet-bn");
        INDArray logProbs = Transforms.log(graph.output(false, fixture.input().castTo(DataType.FLOAT))[0], true);
        double[][] expected = fixture.logProbs("eval");
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < 10; j++) {
                assertThat(logProbs.getDouble(i, j)).isCloseTo(expected[i][j],
                        org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, Math.abs(expected[i][j]))));
            }
        }
        // dense weights were transposed: PyTorch [120, 256], DL4J [256, 120]
        assertThat(graph.getLayer("fc1").getParam("W").shape()).containsExactly(256, 120);
        assertThat(graph.getLayer("fc1").getParam("W").getDouble(3, 5))
                .isEqualTo(stateDict.get("9.weight").getDouble(5, 3));
    }

    @Test
    void missingUnexpectedAndMisshapenTensorsAreAllNamed() throws IOException {
        Architecture lenet = BatchNormLeNet.builder().build();
        Map<String, INDArray> stateDict = new HashMap<>(TorchWeights.readNpz(npz()));
        stateDict.remove("4.bias");
        stateDict.put("99.weight", Nd4j.zeros(2));
        stateDict.put("12.weight", Nd4j.zeros(DataType.FLOAT, 84, 121));

        assertThatThrownBy(() -> TorchWeights.load(lenet.init(), lenet, stateDict))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the state_dict does not fit BatchNorm-LeNet: ")
                .hasMessageContaining("missing tensor 4.bias")
                .hasMessageContaining("12.weight has shape [84, 121], expected [84, 120]")
                .hasMessageContaining("unexpected tensor 99.weight");
    }

    @Test
    void aFileThatIsNotNpzIsReportedWithItsName() throws IOException {
        Path bogus = Files.writeString(dir.resolve("weights.npz"), "not a zip");

        assertThatThrownBy(() -> TorchWeights.readNpz(bogus)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(bogus + ": not a readable .npz file");
        assertThatThrownBy(() -> TorchWeights.readNpz(dir.resolve("none.npz"))).isInstanceOf(IOException.class)
                .hasMessageContaining("none.npz: no such file");
    }
}
