package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.moderncnns.architectures.BatchNormLeNet;
import io.github.moderncnns.architectures.Vgg;
import io.github.moderncnns.data.FashionMnistIterator;
import io.github.moderncnns.data.ImageSet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Sgd;

/** The loop's mechanics on synthetic data. */
class TrainerTest {
    @TempDir
    Path dir;

    private static final ImageSet TRAIN = SyntheticData.images(300, 1);
    private static final ImageSet VALIDATION = SyntheticData.images(100, 2);

    @Test
    void trainingMetricsComeFromTheTrainingForwardPassesAsInTheNotebook() throws Exception {
        // With a learning rate of 0 and neither dropout nor batch norm, the training forward pass computes what
        // inference computes: the listener's training loss and accuracy must equal an evaluation of the same data
        ComputationGraph model = Vgg.builder().setConvArch(Vgg.VGG_11_SMALL).optInputSize(32).optDropout(0)
                .optUpdater(new Sgd(0)).build().init();
        FashionMnistIterator train = SyntheticData.iterator(TRAIN, 64, 32);

        TrainingResult result = Trainer.builder().setModel(model).setTrainData(train)
                .setValidationData(SyntheticData.iterator(VALIDATION, 64, 32)).setEpochs(1)
                .optOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).build().train();

        EvaluationResult same = ModelEvaluator.evaluate(model, SyntheticData.iterator(TRAIN, 64, 32));
        EpochMetrics epoch = result.history().epochs().get(0);
        assertThat(epoch.trainAccuracy()).isCloseTo(same.accuracy(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(epoch.trainLoss()).isCloseTo(same.loss(), org.assertj.core.data.Offset.offset(1e-5));
        assertThat(epoch.imagesPerSecond()).isPositive();
    }

    @Test
    void aDivergingRunStopsAtOnceAndKeepsTheLastGoodCheckpoint() throws Exception {
        ComputationGraph model = BatchNormLeNet.builder().build().init();
        BaseTrainingListener poison = new BaseTrainingListener() {
            private int epochs;

            @Override
            public void onEpochStart(Model m) {
                if (++epochs == 2) {
                    ((ComputationGraph) m).getLayer("output").getParam("b").putScalar(0, Double.NaN);
                }
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> Trainer.builder().setModel(model).setTrainData(SyntheticData.iterator(TRAIN, 50, 0))
                .setValidationData(SyntheticData.iterator(VALIDATION, 50, 0)).setEpochs(3).optRunDirectory(dir)
                .optListener(poison).optOut(new PrintStream(out, true, StandardCharsets.UTF_8)).build().train())
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessage("the training loss became NaN in epoch 2, iteration 7: training diverged. Try a lower "
                        + "learning rate (for example half of the current one).");
        assertThat(dir.resolve("checkpoints/epoch-0001.zip")).isRegularFile();
        assertThat(dir.resolve("checkpoints/epoch-0002.zip")).doesNotExist();
        assertThat(TrainingHistory.read(dir).epochs()).hasSize(1);
        assertThat(new Checkpoints(dir, 2).latest().orElseThrow().load().params().isNaN().any()).isFalse();
    }

    @Test
    void earlyStoppingEndsTheRunOncePatienceEpochsBroughtNothingBetter() throws Exception {
        // a learning rate of 0 and no batch norm leave the validation accuracy where it was: epoch 1 stays the best
        ComputationGraph model = Vgg.builder().setConvArch(Vgg.VGG_11_SMALL).optInputSize(32).optDropout(0)
                .optUpdater(new Sgd(0)).build().init();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        TrainingResult result = Trainer.builder().setModel(model).setTrainData(SyntheticData.iterator(TRAIN, 100, 32))
                .setValidationData(SyntheticData.iterator(VALIDATION, 100, 32)).setEpochs(6)
                .optEarlyStopping(new EarlyStopping(2)).optRunDirectory(dir)
                .optOut(new PrintStream(out, true, StandardCharsets.UTF_8)).build().train();

        assertThat(result.history().epochs()).hasSize(3);
        assertThat(result.earlyStop()).get().asString().startsWith("stopped early after epoch 3: the validation "
                + "accuracy has not improved for 2 epochs since epoch 1");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Training stopped early after epoch 3");
        assertThat(TrainingHistory.read(dir).epochs()).hasSize(3);

        // the plots mark where it stopped: they differ from the same history's plots without the mark
        Files.createDirectories(dir.resolve("marked"));
        Files.createDirectories(dir.resolve("plain"));
        TrainingPlots.writeCurves(result.history(), dir.resolve("marked"), result.earlyStop());
        TrainingPlots.writeCurves(result.history(), dir.resolve("plain"));
        assertThat(Files.readAllBytes(dir.resolve("marked").resolve(TrainingPlots.ACCURACY_FILE)))
                .isNotEqualTo(Files.readAllBytes(dir.resolve("plain").resolve(TrainingPlots.ACCURACY_FILE)));
    }

    @Test
    void theBestValidationModelCanBeRestored() throws Exception {
        ComputationGraph model = BatchNormLeNet.builder().build().init();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        TrainingResult result = Trainer.builder().setModel(model).setTrainData(SyntheticData.iterator(TRAIN, 50, 0))
                .setValidationData(SyntheticData.iterator(VALIDATION, 50, 0))
                .optTestData(SyntheticData.iterator(VALIDATION, 50, 0)).setEpochs(3).optRunDirectory(dir)
                .optRestoreBest(true).optKeepCheckpoints(1)
                .optOut(new PrintStream(out, true, StandardCharsets.UTF_8)).build().train();

        int best = result.bestEpoch();
        assertThat(result.history().best().orElseThrow().epoch()).isEqualTo(best);
        try (var files = Files.list(dir.resolve("checkpoints"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("epoch-0003.zip",
                    "best.zip");
        }
        ComputationGraph bestSaved = new Checkpoints(dir, 1).best().map(p -> {
            try {
                return new Checkpoints.Saved(p, best).load();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).orElseThrow();
        assertThat(result.model().params()).isEqualTo(bestSaved.params());
        assertThat(result.bestEpochTest()).isPresent();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("Test loss");
        if (best != 3) {
            assertThat(printed).contains("Best validation epoch " + best + ": Test loss");
        }
    }

    @Test
    void listenersTheCallerAttachedFireAndStayAttached() throws Exception {
        ComputationGraph model = BatchNormLeNet.builder().build().init();
        java.util.concurrent.atomic.AtomicInteger iterations = new java.util.concurrent.atomic.AtomicInteger();
        BaseTrainingListener counter = new BaseTrainingListener() {
            @Override
            public void iterationDone(Model m, int iteration, int epoch) {
                iterations.incrementAndGet();
            }
        };
        model.setListeners(counter);

        Trainer.builder().setModel(model).setTrainData(SyntheticData.iterator(TRAIN, 50, 0))
                .setValidationData(SyntheticData.iterator(VALIDATION, 50, 0)).setEpochs(1)
                .optOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).build().train();

        assertThat(iterations.get()).isEqualTo(6); // 300 images in batches of 50
        assertThat(model.getListeners()).containsExactly(counter);
    }

    @Test
    void requiredSettingsAreNamed() {
        assertThatThrownBy(() -> Trainer.builder().setEpochs(1).build())
                .hasMessage("setModel, setTrainData, setValidationData and setEpochs are required");
        assertThatThrownBy(() -> Trainer.builder().setEpochs(0)).hasMessage("epochs must be at least 1, found 0");
    }
}
