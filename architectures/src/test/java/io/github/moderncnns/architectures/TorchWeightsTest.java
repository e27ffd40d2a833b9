package io.github.moderncnns.architectures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** PyTorch {@code state_dict}s as {@code numpy.savez} writes them: import, export, and the round trip. */
class TorchWeightsTest {
    @TempDir
    Path dir;

    private Path npz() throws IOException {
        Path file = dir.resolve("lenet.npz");
        if (Files.exists(file)) {
            return file;
        }
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

    /** The export of the imported PyTorch weights is, byte for byte, what numpy.savez wrote for them. */
    @Test
    void anExportIsWhatNumpyWritesForTheSameTensors() throws IOException {
        Architecture lenet = BatchNormLeNet.builder().build();
        ComputationGraph graph = lenet.init();
        TorchWeights.load(graph, lenet, TorchWeights.readNpz(npz()));
        Path exported = dir.resolve("exported.npz");
        try (OutputStream out = Files.newOutputStream(exported)) {
            TorchWeights.writeNpz(TorchWeights.stateDict(graph, lenet), out);
        }

        try (ZipFile numpy = new ZipFile(npz().toFile()); ZipFile ours = new ZipFile(exported.toFile())) {
            List<String> numpyNames = Collections.list(numpy.entries()).stream().map(ZipEntry::getName).toList();
            assertThat(Collections.list(ours.entries()).stream().map(ZipEntry::getName).toList())
                    .containsExactlyElementsOf(numpyNames); // PyTorch's state_dict order, num_batches_tracked too
            for (String name : numpyNames) {
                byte[] expected = numpy.getInputStream(numpy.getEntry(name)).readAllBytes();
                byte[] actual = ours.getInputStream(ours.getEntry(name)).readAllBytes();
                if (name.endsWith("running_var.npy")) { // through DL4J's log10 standard deviation and back
                    assertThat(actual).hasSameSizeAs(expected);
                    assertThat(Arrays.copyOf(actual, 128)).isEqualTo(Arrays.copyOf(expected, 128)); // the header
                } else if (name.endsWith("num_batches_tracked.npy")) {
                    assertThat(new String(actual, 10, 60, StandardCharsets.ISO_8859_1))
                            .startsWith("{'descr': '<i8', 'fortran_order': False, 'shape': (), }");
                } else {
                    assertThat(actual).as(name).isEqualTo(expected);
                }
            }
        }
        assertThat(TorchWeights.readNpz(exported).get("1.running_var").toFloatVector())
                .containsExactly(TorchWeights.readNpz(npz()).get("1.running_var").toFloatVector(),
                        org.assertj.core.data.Offset.offset(1e-6f));
    }

    static Stream<Arguments> networks() {
        return Stream.of(Arguments.of(NotebookModel.LENET_BN, 28), Arguments.of(NotebookModel.RESNET18, 32),
                Arguments.of(NotebookModel.VGG11_SMALL, 32), Arguments.of(NotebookModel.ALEXNET, 67));
    }

    /** Export, import into a fresh graph with other weights: the same parameters, and the network is recognised. */
    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("networks")
    void exportThenImportGivesTheSameParameters(NotebookModel model, int size) throws IOException {
        Architecture trained = model.builder().optInputSize(size).optSeed(1).build();
        ComputationGraph original = trained.init();
        assertThat(NotebookModel.of(original, size)).contains(model);
        ByteArrayOutputStream npz = new ByteArrayOutputStream();
        TorchWeights.writeNpz(TorchWeights.stateDict(original, trained), npz);
        Path file = Files.write(dir.resolve(model.id() + ".npz"), npz.toByteArray());

        Architecture fresh = model.builder().optInputSize(size).optSeed(2).build();
        ComputationGraph copy = fresh.init();
        assertThat(copy.params()).isNotEqualTo(original.params());
        TorchWeights.load(copy, fresh, TorchWeights.readNpz(file));

        for (TorchParameter parameter : trained.torchParameters()) {
            INDArray expected = original.getLayer(parameter.layer()).getParam(parameter.key());
            INDArray actual = copy.getLayer(parameter.layer()).getParam(parameter.key());
            if (parameter.form() == TorchParameter.Form.LOG10_STD) {
                assertThat(actual.equalsWithEps(expected, 1e-6)).as(parameter.torchName()).isTrue();
            } else {
                assertThat(actual).as(parameter.torchName()).isEqualTo(expected);
            }
        }
    }

    @Test
    void anotherNetworkIsNotExportedAsThisOne() {
        ComputationGraph resnet = ResNet.builder().optInputSize(32).build().init();
        Architecture lenet = BatchNormLeNet.builder().build();
        // ResNet-18's parameters do not depend on the input size (global average pooling); ResNet-10's differ
        assertThat(NotebookModel.of(resnet, 28)).contains(NotebookModel.RESNET18);
        assertThat(NotebookModel.of(ResNet.builder().optBlocks(1, 1, 1, 1).optInputSize(32).build().init(), 32))
                .isEmpty();
        assertThatThrownBy(() -> TorchWeights.stateDict(resnet, lenet)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the graph is not BatchNorm-LeNet at " + lenet.inputType() + ": its parameters do not "
                        + "match that network's");
    }
}
