package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.moderncnns.architectures.BatchNormLeNet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/** Progress lines name the run's epoch and minibatch, also after a resume. */
class ProgressListenerTest {
    @Test
    void aResumedRunCountsOnFromItsEpochs() {
        ComputationGraph model = BatchNormLeNet.builder().build().init();
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        ProgressListener progress = new ProgressListener(10, 32, false, new PrintStream(lines, true,
                StandardCharsets.UTF_8), 0).startingAfter(3);

        progress.onEpochStart(model);
        progress.iterationDone(model, 0, 0);

        assertThat(lines.toString(StandardCharsets.UTF_8)).startsWith("Epoch 4: batch 1/10, loss ");
    }

    @Test
    void aRunResumedInTheMiddleOfAnEpochCountsOnFromItsMinibatchAndThenStartsWholeEpochs() {
        ComputationGraph model = BatchNormLeNet.builder().build().init();
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        ProgressListener progress = new ProgressListener(10, 32, false, new PrintStream(lines, true,
                StandardCharsets.UTF_8), 0).startingAfter(3, 7);

        progress.onEpochStart(model);
        progress.iterationDone(model, 0, 0);
        progress.onEpochEnd(model);
        progress.onEpochStart(model);
        progress.iterationDone(model, 1, 0);

        assertThat(lines.toString(StandardCharsets.UTF_8).lines()).hasSize(2)
                .satisfies(all -> assertThat(all.get(0)).startsWith("Epoch 4: batch 8/10, loss "))
                .satisfies(all -> assertThat(all.get(1)).startsWith("Epoch 5: batch 1/10, loss "));
    }
}
