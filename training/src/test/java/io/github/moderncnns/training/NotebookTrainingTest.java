package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.moderncnns.architectures.LayerHelpers;
import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.data.FashionMnist;
import io.github.moderncnns.data.FashionMnistIterator;
import io.github.moderncnns.data.RealData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short real-data BN-LeNet run and everything it leaves in its run directory. */
class NotebookTrainingTest {
    @TempDir
    static Path dir;
    private static Path run;
    private static TrainingResult result;
    private static String printed;

    @BeforeAll
    static void trainOnce() throws Exception {
        RealData.dataset(); // fail (CI) or skip here if the dataset is missing
        run = dir.resolve("lenet");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunSpec spec = RunSpec.notebook(NotebookModel.LENET_BN).withLimit(2_560)
                .withRecipe(io.github.moderncnns.training.Recipe.notebook(NotebookModel.LENET_BN).withEpochs(3));
        result = NotebookTraining.start(spec, run,
                new NotebookTraining.Options(new PrintStream(out, true, StandardCharsets.UTF_8), false, null));
        printed = out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheNotebooksLines() {
        assertThat(printed).containsPattern("Epoch 1, Train loss \\d+\\.\\d\\d, Train accuracy \\d+\\.\\d\\d, "
                + "Validation loss \\d+\\.\\d\\d, Validation accuracy \\d+\\.\\d\\d \\(\\d+\\.\\d s, [\\d,]+ images/s\\)");
        assertThat(printed).contains(", 3 epochs, input 28x28, 1 thread\n").contains("Epoch 3, ").containsPattern("Test loss \\d+\\.\\d\\d, Test accuracy \\d+\\.\\d\\d");
        assertThat(result.history().epochs()).hasSize(3);
        // 2,560 images with batch 256 learn something: far above chance (10 %)
        assertThat(result.history().best().orElseThrow().validationAccuracy()).isGreaterThan(40);
        assertThat(result.lastEpochTest()).isPresent();
    }

    @Test
    void leavesEveryArtefactInTheRunDirectory() throws Exception {
        assertThat(run.resolve("run.json")).isRegularFile();
        assertThat(run.resolve("metrics.json")).isRegularFile();
        assertThat(run.resolve("model.zip")).isRegularFile();
        assertThat(run.resolve(TrainingUi.STATS_FILE)).isRegularFile().isNotEmptyFile();
        assertThat(run.resolve("checkpoints/epoch-0003.zip")).isRegularFile();
        assertThat(run.resolve("checkpoints/epoch-0002.zip")).isRegularFile();
        assertThat(run.resolve("checkpoints/epoch-0001.zip")).as("only the last 2 are kept").doesNotExist();
        assertThat(run.resolve("checkpoints/best.zip")).isRegularFile();
        RunResult numbers = RunResult.read(run);
        assertThat(numbers.model()).isEqualTo("lenet-bn");
        assertThat(numbers.epochs()).isEqualTo(3);
        assertThat(numbers.lastTestAccuracy()).isEqualTo(result.lastEpochTest().orElseThrow().accuracy());
        assertThat(numbers.bestEpoch()).isEqualTo(result.bestEpoch());
        assertThat(numbers.verdict()).as("not the notebook's schedule").isEqualTo("n/a");
        assertThat(numbers.peakMemoryBytes()).isGreaterThan(100L << 20);
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertThat(csv).hasSize(4);
        assertThat(csv.get(0)).isEqualTo("epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,seconds");
        assertThat(csv.get(1)).startsWith("1,");
        assertThat(TrainingHistory.read(run)).isEqualTo(result.history());
        try (var files = Files.list(run)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void drawsTheNotebooksPlots() throws Exception {
        for (String name : List.of("loss.png", "accuracy.png", "confusion-matrix.png")) {
            BufferedImage image = ImageIO.read(run.resolve(name).toFile());
            assertThat(image).as(name).isNotNull();
            assertThat(image.getWidth()).isGreaterThanOrEqualTo(640);
        }
    }

    @Test
    void writesTheReport() throws Exception {
        String report = Files.readString(run.resolve("report.md"));
        assertThat(report).startsWith("# BatchNorm-LeNet on Fashion-MNIST")
                .contains("| recipe | notebook-lenet-bn, changed |")
                .contains("| batch size / epochs / input | 256 / 3 / 28x28 |")
                .contains("| optimiser / schedule | sgd, lr 1.0 / constant |")
                .contains("| augmentation / early stopping | none / off |")
                .contains("| seed (initialisation, shuffling, dropout) / split seed | 42 / 42 |")
                .contains("split fingerprint")
                .contains("official SHA-256 verified")
                .contains("| backend | CpuBackend with oneDNN, OPENBLAS BLAS, ").contains("| memory allocator | ")
                .contains("| threads | 1 (automatic: 0.28 million multiply-adds per image, fewer than 10 million) |")
                .contains("| conv / pooling / batch norm | oneDNN layer helpers on (2 layers), Java kernels for batch norm (4 layers) and pooling (2 layers) |").contains("DL4J/ND4J 1.0.0-M2.1")
                .contains("| 3 | ")
                .contains("Last epoch (3, the notebook's number)")
                .contains("| Ankle boot | ")
                .contains("gamma (weight): [")
                .contains("![loss](loss.png)");
    }

    @Test
    void theSavedModelIsTheReturnedOneAndEvaluatesTheSame() throws Exception {
        ComputationGraph saved = ModelSerializer.restoreComputationGraph(run.resolve("model.zip").toFile(), true);
        FashionMnist data = RealData.dataset();
        FashionMnistIterator test = FashionMnistIterator.builder().setImages(data.test()).setBatchSize(256)
                .optLimit(2_560).build();

        assertThat(saved.params()).isEqualTo(result.model().params());
        assertThat(ModelEvaluator.evaluate(saved, test).accuracy())
                .isEqualTo(result.lastEpochTest().orElseThrow().accuracy());
    }

    @Test
    void aLoadedModelRunsOnTheSameFastPathAsTheTrainedOne() throws Exception {
        ComputationGraph loaded = ModelFiles.load(run.resolve("model.zip")).model();

        assertThat(LayerHelpers.inUse(loaded)).isEqualTo(LayerHelpers.inUse(result.model()));
        assertThat(LayerHelpers.inUse(loaded)).containsEntry("conv1", "InputConvolutionHelper")
                .containsEntry("conv2", "MKLDNNConvHelper")
                .containsEntry("bn3", "BatchNormKernel").containsEntry("pool2", "PoolingKernel")
                .hasSize(8);
    }

    @Test
    void theBatchNormCellOfTheNotebookCanBeAsked() {
        BatchNormInspector.BatchNormValues bn1 = BatchNormInspector.inspect(result.model(), "bn1");

        assertThat(bn1.gamma()).hasSize(6);
        assertThat(bn1.beta()).hasSize(6);
        assertThat(java.util.Arrays.stream(bn1.gamma()).anyMatch(g -> Math.abs(g - 1) > 1e-3))
                .as("gamma learned away from 1").isTrue();
        assertThat(java.util.Arrays.stream(bn1.runningVariance()).allMatch(v -> v > 0)).isTrue();
        assertThat(BatchNormInspector.layers(result.model())).containsExactly("bn1", "bn2", "bn3", "bn4");
        assertThatThrownBy(() -> BatchNormInspector.inspect(result.model(), "conv1"))
                .hasMessage("'conv1' is not a batch-normalization layer; the model has [bn1, bn2, bn3, bn4]");
    }

    @Test
    void theSplitSeedAloneChoosesTheValidationImagesAndTheSeedTheInitialWeights() throws Exception {
        RunSpec small = RunSpec.notebook(NotebookModel.LENET_BN).withLimit(256)
                .withRecipe(Recipe.notebook(NotebookModel.LENET_BN).withEpochs(1));
        TrainingResult seed1 = NotebookTraining.start(small.withSeed(1), dir.resolve("seed1"),
                NotebookTraining.Options.quiet());
        TrainingResult seed2 = NotebookTraining.start(small.withSeed(2), dir.resolve("seed2"),
                NotebookTraining.Options.quiet());
        NotebookTraining.start(small.withSeed(1).withSplitSeed(43), dir.resolve("split43"),
                NotebookTraining.Options.quiet());

        assertThat(fingerprintIn(dir.resolve("seed1"))).isEqualTo(fingerprintIn(dir.resolve("seed2")))
                .isEqualTo(fingerprintIn(run)).isNotEqualTo(fingerprintIn(dir.resolve("split43")));
        assertThat(seed1.history().epochs().get(0).trainLoss())
                .isNotEqualTo(seed2.history().epochs().get(0).trainLoss());
        assertThat(RunSpec.read(dir.resolve("split43")).splitSeed()).isEqualTo(43);
        assertThat(RunSpec.read(dir.resolve("split43")).seed()).isEqualTo(1);
    }

    private static String fingerprintIn(Path runDirectory) throws Exception {
        var matcher = java.util.regex.Pattern.compile("split fingerprint \\| `([0-9a-f]+)`")
                .matcher(Files.readString(runDirectory.resolve("report.md")));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    @Test
    void aRunDirectoryIsNeverReused() {
        assertThatThrownBy(() -> NotebookTraining.start(RunSpec.notebook(NotebookModel.LENET_BN), run,
                NotebookTraining.Options.quiet()))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("the run directory already exists; choose a new one, or resume the run in it");
    }
}
