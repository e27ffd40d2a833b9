package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.data.RealData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                .withPreset(TrainingPreset.of(NotebookModel.LENET_BN).withEpochs(epochs));
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
        assertThat(RunSpec.read(run).preset().epochs()).isEqualTo(4);
        assertThatThrownBy(() -> NotebookTraining.resume(run, NotebookTraining.Options.quiet(),
                new NotebookTraining.Changes(2, null))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--epochs 2 is fewer than the 4 epochs " + run + " has trained already");
    }

    @Test
    void aCheckpointOfAnotherNetworkIsRefused() throws Exception {
        Path run = copyOfFinished("swapped");
        // run.json now claims another input size: the checkpoint's layers do not fit it
        small(3).withPreset(TrainingPreset.of(NotebookModel.LENET_BN).withEpochs(3).withResize(32)).write(run);

        assertThatThrownBy(() -> NotebookTraining.resume(run, NotebookTraining.Options.quiet()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("epoch-0003.zip does not hold the network run.json describes (lenet-bn at "
                        + "32x32").hasMessageEndingWith("was it copied from another run?");
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
                .withPreset(TrainingPreset.of(NotebookModel.ALEXNET).withResize(20)), impossible,
                NotebookTraining.Options.quiet())).isInstanceOf(IllegalArgumentException.class);
        assertThat(impossible).doesNotExist();
    }
}
