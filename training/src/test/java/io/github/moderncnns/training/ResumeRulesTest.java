package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.moderncnns.architectures.Architecture;
import io.github.moderncnns.architectures.BatchNormLeNet;
import io.github.moderncnns.architectures.FastBatchNormalization;
import io.github.moderncnns.architectures.FastSubsampling;
import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.data.RealData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * What resume accepts and refuses: a corrupt last checkpoint falls back to the previous one, a checkpoint of another
 * network and data with other content are refused, more epochs extend a run and are recorded, and a failed start
 * leaves no run directory behind.
 */
class ResumeRulesTest {
    @TempDir
    static Path dir;
    private static Path finished;

    private static RunSpec small(int epochs) {
        return RunSpec.notebook(NotebookModel.LENET_BN).withLimit(512)
                .withRecipe(Recipe.notebook(NotebookModel.LENET_BN).withEpochs(epochs));
    }

    @BeforeAll
    static void trainOnce() throws Exception {
        RealData.dataset();
        finished = dir.resolve("finished");
        NotebookTraining.start(small(3), finished, NotebookTraining.Options.quiet());
    }

    /** A copy of the finished run, as if it had been interrupted after its third epoch's checkpoint. */
    private static Path copyOfFinished(String name) throws IOException {
        Path copy = dir.resolve(name);
        try (var files = Files.walk(finished)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(finished.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return copy;
    }

    @Test
    void aCorruptLastCheckpointFallsBackToThePreviousOneAndSaysSo() throws Exception {
        Path run = copyOfFinished("corrupt");
        Path last = run.resolve("checkpoints/epoch-0003.zip");
        byte[] bytes = Files.readAllBytes(last);
        Files.write(last, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // truncated, as by a full disk
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        TrainingResult result = NotebookTraining.resume(run, new NotebookTraining.Options(
                new PrintStream(out, true, StandardCharsets.UTF_8), false, null));

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Skipping the unreadable checkpoint " + last)
                .contains("Resuming " + run + " after epoch 2 of 3");
        assertThat(result.history().epochs()).hasSize(3);
    }

    /**
     * best.zip of an epoch after the checkpoint resumed from would claim a history the run has not got: it is
     * replaced by the resumed model when that is the best so far, or removed.
     */
    @Test
    void theBestModelIsNeverNewerThanTheResumedHistory() throws Exception {
        Path run = copyOfFinished("best-after");
        // as if epoch 3 had been the best and its checkpoint were unreadable: resume after epoch 2
        Files.delete(run.resolve("checkpoints/epoch-0003.zip"));
        TrainingHistory recorded = TrainingHistory.read(run);
        java.util.List<EpochMetrics> epochs = new java.util.ArrayList<>(recorded.epochs());
        EpochMetrics third = epochs.get(2);
        epochs.set(2, new EpochMetrics(3, third.trainLoss(), third.trainAccuracy(), third.validationLoss(), 99.9,
                third.seconds(), third.imagesPerSecond()));
        new TrainingHistory(epochs).write(run);
        boolean secondIsBestSoFar = epochs.get(1).validationAccuracy() >= epochs.get(0).validationAccuracy();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ResumePoint point = ResumePoint.find(run, RunSpec.read(run), NotebookModel.LENET_BN.builder()
                .optUpdater(new org.nd4j.linalg.learning.config.Sgd(1.0)).build(),
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(point.history().epochs()).hasSize(2);
        if (secondIsBestSoFar) {
            assertThat(new Checkpoints.Saved(run.resolve("checkpoints/best.zip"), 2).load().params())
                    .isEqualTo(point.model().params());
        } else {
            assertThat(run.resolve("checkpoints/best.zip")).doesNotExist();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("it was of epoch 3, after the checkpoint "
                    + "resumed from (2)");
        }
    }

    @Test
    void moreEpochsExtendTheRunAndAreRecorded() throws Exception {
        Path run = copyOfFinished("extended");

        TrainingResult result = NotebookTraining.resume(run, NotebookTraining.Options.quiet(),
                new NotebookTraining.Changes(4, null));

        assertThat(result.history().epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3, 4);
        assertThat(RunSpec.read(run).recipe().epochs()).isEqualTo(4);
        assertThatThrownBy(() -> NotebookTraining.resume(run, NotebookTraining.Options.quiet(),
                new NotebookTraining.Changes(2, null))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--epochs 2 is fewer than the 4 epochs " + run + " has trained already");
    }

    /**
     * A mid-epoch checkpoint counts only if it continues the epoch checkpoint resumed from; a stale one (left by a
     * kill between an epoch's checkpoint and its removal) or one with a damaged progress entry is named and skipped.
     */
    @Test
    void aMidEpochCheckpointIsUsedOnlyWhenItContinuesTheResumedEpoch() throws Exception {
        Checkpoints.Saved second = new Checkpoints.Saved(finished.resolve("checkpoints/epoch-0002.zip"), 2);

        Path stale = copyOfFinished("stale-partial");
        new Checkpoints(stale, 2).savePartial(second.load(), new EpochProgress(2, 1, 2.0, 10, 256, 1.5, 3));
        ByteArrayOutputStream staleOut = new ByteArrayOutputStream();
        NotebookTraining.resume(stale, new NotebookTraining.Options(new PrintStream(staleOut, true,
                StandardCharsets.UTF_8), false, null), new NotebookTraining.Changes(4, null));
        assertThat(staleOut.toString(StandardCharsets.UTF_8)).contains("Skipping the mid-epoch checkpoint "
                + stale.resolve("checkpoints/partial.zip") + ": it is of epoch 2, not of the epoch after the 3 "
                + "resumed").contains("Resuming " + stale + " after epoch 3 of 4");

        Path continued = copyOfFinished("continued-partial");
        Files.delete(continued.resolve("checkpoints/epoch-0003.zip"));
        new Checkpoints(continued, 2).savePartial(second.load(), new EpochProgress(3, 1, 2.0, 10, 256, 1.5, 3));
        ByteArrayOutputStream continuedOut = new ByteArrayOutputStream();
        TrainingResult result = NotebookTraining.resume(continued, new NotebookTraining.Options(new PrintStream(
                continuedOut, true, StandardCharsets.UTF_8), false, null));
        assertThat(continuedOut.toString(StandardCharsets.UTF_8)).contains("Resuming " + continued + " in epoch 3 "
                + "of 3 after minibatch 1 (a mid-epoch checkpoint)");
        assertThat(result.history().epochs()).hasSize(3);
        assertThat(continued.resolve("checkpoints/partial.zip")).doesNotExist();

        Path damaged = copyOfFinished("damaged-partial");
        Files.delete(damaged.resolve("checkpoints/epoch-0003.zip"));
        Path partial = damaged.resolve("checkpoints/partial.zip");
        new Checkpoints(damaged, 2).savePartial(second.load(), new EpochProgress(3, 1, 2.0, 10, 256, 1.5, 3));
        try (var zip = java.nio.file.FileSystems.newFileSystem(partial)) {
            Path entry = zip.getPath(ModelZip.PROGRESS);
            Files.writeString(entry, Files.readString(entry).replace("\"hits\":10", "\"hits\":1000"));
        }
        ByteArrayOutputStream damagedOut = new ByteArrayOutputStream();
        NotebookTraining.resume(damaged, new NotebookTraining.Options(new PrintStream(damagedOut, true,
                StandardCharsets.UTF_8), false, null));
        assertThat(damagedOut.toString(StandardCharsets.UTF_8)).contains("Skipping the unreadable mid-epoch "
                + "checkpoint (" + partial + ": " + ModelZip.PROGRESS + " is not valid (")
                .contains("1000 right").contains("Resuming " + damaged + " after epoch 2 of 3");
    }

    @Test
    void aCheckpointOfAnotherNetworkIsRefused() throws Exception {
        Path run = copyOfFinished("swapped");
        // run.json now claims another input size: the checkpoint's layers do not fit it
        small(3).withRecipe(Recipe.notebook(NotebookModel.LENET_BN).withEpochs(3).withResize(32)).write(run);

        assertThatThrownBy(() -> NotebookTraining.resume(run, NotebookTraining.Options.quiet()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("epoch-0003.zip does not hold the network run.json describes (lenet-bn at "
                        + "32x32").hasMessageEndingWith("was it copied from another run?");
    }

    /**
     * Checkpoints written before 2026-12-02 hold DL4J's separate batch-norm, activation and pooling layers: their
     * parameters and updater state move into this version's layers, which compute the same function.
     */
    @Test
    void aCheckpointWithTheLayersOfAnEarlierVersionIsCarriedIntoThisVersionsLayers() throws Exception {
        Recipe momentum = Recipe.notebook(NotebookModel.LENET_BN).withEpochs(3)
                .withOptimizer(new Optimizer(Optimizer.Kind.MOMENTUM, 0.1, 0.9, 0));
        RunSpec spec = small(3).withRecipe(momentum);
        Architecture architecture = spec.architecture();
        ComputationGraph older = BatchNormLeNet.builder().optFastLayers(false)
                .optUpdater(momentum.optimizer().updater(momentum.schedule(), 100, 3)).build().init();
        DataSet batch = batch(older, 3);
        older.fit(batch);
        older.fit(batch); // updater state, running statistics and iteration count that are not the initial ones
        Path file = dir.resolve("older-layers.zip");
        ByteArrayOutputStream said = new ByteArrayOutputStream();

        ComputationGraph carried = ResumePoint.inThisVersionsLayers(older, architecture, file, spec,
                new PrintStream(said, true, StandardCharsets.UTF_8));

        assertThat(carried).isNotSameAs(older);
        assertThat(older.getVertex("sigmoid1")).isNotNull();
        assertThat(carried.getVertex("sigmoid1")).as("fused into bn1").isNull();
        assertThat(carried.getLayer("bn1").conf().getLayer()).isInstanceOf(FastBatchNormalization.class);
        assertThat(carried.getLayer("pool1").conf().getLayer()).isInstanceOf(FastSubsampling.class);
        assertThat(carried.params()).isEqualTo(older.params());
        assertThat(carried.getUpdater().getStateViewArray()).isEqualTo(older.getUpdater().getStateViewArray());
        assertThat(carried.getConfiguration().getIterationCount()).isEqualTo(2);
        INDArray expected = older.outputSingle(false, batch.getFeatures());
        assertThat(carried.outputSingle(false, batch.getFeatures()).sub(expected).amaxNumber().doubleValue())
                .isLessThan(1e-5);
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("Carried older-layers.zip's parameters and "
                + "updater state into this version's layers");
    }

    @Test
    void aCheckpointWithTheParametersInOtherLayersIsRefusedWithTheFix() throws Exception {
        RunSpec spec = small(3);
        // as many parameters, under other names
        String renamed = BatchNormLeNet.builder().build().configuration().toJson().replace("\"conv1", "\"first");
        ComputationGraph other = new ComputationGraph(ComputationGraphConfiguration.fromJson(renamed));
        other.init();
        Path file = dir.resolve("other-layers.zip");

        assertThatThrownBy(() -> ResumePoint.inThisVersionsLayers(other, spec.architecture(), file, spec,
                NotebookTraining.Options.quiet().out()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("other-layers.zip holds lenet-bn's parameters in other layers than this version "
                        + "of modern-cnns builds").hasMessageEndingWith("resume the run with the version that "
                        + "started it, or start it anew");
    }

    private static DataSet batch(ComputationGraph graph, long seed) {
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(seed);
        INDArray features = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 16, 1, 28, 28);
        INDArray labels = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 16, 10);
        for (int i = 0; i < 16; i++) {
            labels.putScalar(i, i % 10, 1);
        }
        return new DataSet(features, labels);
    }

    @Test
    void dataWithOtherContentAreRefused() throws Exception {
        Path run = copyOfFinished("other-data");
        Path identity = run.resolve(DataIdentity.FILE);
        String recorded = Files.readString(identity);
        assertThat(recorded).contains("\"splitFingerprint\"").contains("train-images-idx3-ubyte");
        Files.writeString(identity, recorded.replaceFirst("(\"train-images-idx3-ubyte\" : \")[0-9a-f]{8}",
                "$100000000"));

        assertThatThrownBy(() -> NotebookTraining.resume(run, NotebookTraining.Options.quiet()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("train-images-idx3-ubyte is not the file this run trained on (SHA-256 of its "
                        + "content: expected 00000000")
                .hasMessageEndingWith("resume with --data-dir pointing to the run's files");
    }

    @Test
    void aStartThatFailsBeforeItsFirstCheckpointLeavesNothing() throws Exception {
        Path run = dir.resolve("failed-start");
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> NotebookTraining.start(small(1), run, new NotebookTraining.Options(
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false,
                    TrainingUi.Address.loopback(taken.getLocalPort()))))
                    .isInstanceOf(TrainingUi.UiPortInUseException.class);
        }
        assertThat(run).doesNotExist();

        Path impossible = dir.resolve("impossible");
        assertThatThrownBy(() -> NotebookTraining.start(RunSpec.notebook(NotebookModel.ALEXNET)
                .withRecipe(Recipe.notebook(NotebookModel.ALEXNET).withResize(20)), impossible,
                NotebookTraining.Options.quiet())).isInstanceOf(IllegalArgumentException.class);
        assertThat(impossible).doesNotExist();
    }
}
