package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.moderncnns.data.RealData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL in the middle of an epoch loses at most that epoch: {@code resume} continues from the
 * last checkpoint with the same data order, and ends where an uninterrupted run ends.
 */
class ResumeTest {
    private static final int LIMIT = 5_120;
    private static final int EPOCHS = 3;

    @TempDir
    Path dir;

    @Test
    void aKilledRunResumesFromItsLastCheckpointAndEndsLikeAnUninterruptedOne() throws Exception {
        RealData.dataset();
        Path killed = dir.resolve("killed");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ChildRun.class.getName(), killed.toString(),
                Integer.toString(LIMIT), Integer.toString(EPOCHS))
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Path firstCheckpoint = killed.resolve("checkpoints/epoch-0001.zip");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(firstCheckpoint) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(firstCheckpoint).as("child log: %s", Files.readString(dir.resolve("child.log"))).exists();
        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
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

        TrainingResult uninterrupted = NotebookTraining.start(ChildRun.spec(LIMIT, EPOCHS), dir.resolve("straight"),
                NotebookTraining.Options.quiet());
        List<EpochMetrics> a = uninterrupted.history().epochs();
        List<EpochMetrics> b = resumed.history().epochs();
        for (int e = 0; e < EPOCHS; e++) {
            assertThat(b.get(e).trainLoss()).as("train loss, epoch %d", e + 1).isCloseTo(a.get(e).trainLoss(),
                    org.assertj.core.data.Percentage.withPercentage(0.01));
            assertThat(b.get(e).validationAccuracy()).as("validation accuracy, epoch %d", e + 1)
                    .isCloseTo(a.get(e).validationAccuracy(), org.assertj.core.data.Offset.offset(0.05));
        }
    }
}
