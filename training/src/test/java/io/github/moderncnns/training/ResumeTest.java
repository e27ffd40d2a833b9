package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.moderncnns.data.RealData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL loses at most the time since its last checkpoint: {@code resume} continues from the last
 * epoch or mid-epoch checkpoint with the same data order, and ends where an uninterrupted run ends.
 */
class ResumeTest {
    private static final int LIMIT = 5_120;
    private static final int EPOCHS = 3;

    @TempDir
    static Path dir;
    /** The epochs of the same run without interruption, trained once for both tests. */
    private static List<EpochMetrics> uninterrupted;

    @Test
    void aKilledRunResumesFromItsLastCheckpointAndEndsLikeAnUninterruptedOne() throws Exception {
        Path killed = dir.resolve("killed");
        Path firstCheckpoint = killed.resolve("checkpoints/epoch-0001.zip");
        killWhen(killed, () -> Files.exists(firstCheckpoint), "0"); // no mid-epoch checkpoints
        assertThat(killed.resolve("model.zip")).as("killed before the end").doesNotExist();
        int checkpointed = new Checkpoints(killed, 2).latest().orElseThrow().epoch();
        assertThat(checkpointed).isLessThan(EPOCHS);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TrainingResult resumed = NotebookTraining.resume(killed,
                new NotebookTraining.Options(new PrintStream(out, true, StandardCharsets.UTF_8), false, null));

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Resuming " + killed + " after epoch "
                + checkpointed + " of 3");
        assertThat(resumed.history().epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
        assertThat(killed.resolve("model.zip")).exists();
        assertEndsLikeAnUninterruptedRun(resumed);
    }

    /**
     * Killed in the middle of epoch 2 after a mid-epoch checkpoint (one after every minibatch here): the resumed run
     * continues epoch 2 after that minibatch, and its epoch 2 has the uninterrupted run's training loss over all
     * 20 minibatches.
     */
    @Test
    void aRunKilledInTheMiddleOfAnEpochContinuesAfterItsLastMinibatchCheckpoint() throws Exception {
        Path killed = dir.resolve("killed-mid-epoch");
        Checkpoints checkpoints = new Checkpoints(killed, 2);
        killWhen(killed, () -> {
            try {
                return checkpoints.partial().map(p -> p.progress().epoch() == 2 && p.progress().batches() >= 3)
                        .orElse(false);
            } catch (IOException e) {
                return false; // the directory is being created
            }
        }, "1");
        EpochProgress progress = checkpoints.partial().orElseThrow().progress();
        assertThat(progress.epoch()).as("killed within epoch 2").isEqualTo(2);
        assertThat(progress.samples()).isEqualTo(progress.batches() * 256L);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TrainingResult resumed = NotebookTraining.resume(killed,
                new NotebookTraining.Options(new PrintStream(out, true, StandardCharsets.UTF_8), false, null));

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Resuming " + killed + " in epoch 2 of 3 after "
                + "minibatch " + progress.batches() + " (a mid-epoch checkpoint)");
        assertThat(resumed.history().epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
        assertThat(checkpoints.partial()).as("superseded by the epochs' checkpoints").isEmpty();
        assertEndsLikeAnUninterruptedRun(resumed);
    }

    /** Starts {@link ChildRun} and kills it with SIGKILL once {@code condition} holds. */
    private void killWhen(Path run, BooleanSupplier condition, String checkpointMillis) throws Exception {
        RealData.dataset();
        Path log = dir.resolve(run.getFileName() + ".log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ChildRun.class.getName(), run.toString(),
                Integer.toString(LIMIT), Integer.toString(EPOCHS), checkpointMillis)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        boolean reached = false;
        while (!reached && child.isAlive() && System.nanoTime() < deadline) {
            reached = condition.getAsBoolean();
            Thread.sleep(reached ? 0 : 20);
        }
        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(reached).as("child log: %s", Files.readString(log)).isTrue();
    }

    private void assertEndsLikeAnUninterruptedRun(TrainingResult resumed) throws Exception {
        if (uninterrupted == null) {
            uninterrupted = NotebookTraining.start(ChildRun.spec(LIMIT, EPOCHS), dir.resolve("straight"),
                    NotebookTraining.Options.quiet()).history().epochs();
        }
        List<EpochMetrics> b = resumed.history().epochs();
        for (int e = 0; e < EPOCHS; e++) {
            assertThat(b.get(e).trainLoss()).as("train loss, epoch %d", e + 1)
                    .isCloseTo(uninterrupted.get(e).trainLoss(), Percentage.withPercentage(0.01));
            assertThat(b.get(e).trainAccuracy()).as("train accuracy, epoch %d", e + 1)
                    .isCloseTo(uninterrupted.get(e).trainAccuracy(), Offset.offset(0.05));
            assertThat(b.get(e).validationAccuracy()).as("validation accuracy, epoch %d", e + 1)
                    .isCloseTo(uninterrupted.get(e).validationAccuracy(), Offset.offset(0.05));
        }
    }
}
