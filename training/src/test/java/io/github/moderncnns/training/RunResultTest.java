package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.moderncnns.architectures.NotebookModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** result.json and the verdicts against the notebook's bands. */
class RunResultTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}: test {1}, best validation {2} -> {3}")
    @CsvSource({"resnet18, 85.40, 70, inside", "resnet18, 90.10, 70, inside", "resnet18, 85.39, 99, outside",
        "resnet18, 90.11, 99, outside", "alexnet, 81.6, 0, inside", "alexnet, 85.31, 0, outside",
        "vgg11-small, 88.29, 0, outside", "vgg11-small, 90.8, 0, inside",
        "lenet-bn, 46.3, 85.0, inside", "lenet-bn, 88.0, 84.99, outside"})
    void theVerdictComparesTheBandsNumber(String model, double lastTest, double bestValidation, String verdict) {
        ReferenceBand band = ReferenceBand.of(NotebookModel.byId(model)).orElseThrow();

        assertThat(band.judge(lastTest, bestValidation).word()).isEqualTo(verdict);
    }

    @Test
    void eachBandIsDescribedWithItsMetric() {
        assertThat(ReferenceBand.of(NotebookModel.RESNET18).orElseThrow().describe())
                .isEqualTo("test accuracy 85.4-90.1 %");
        assertThat(ReferenceBand.of(NotebookModel.LENET_BN).orElseThrow().describe())
                .isEqualTo("best validation accuracy >= 85.0 %");
        assertThat(ReferenceBand.of(NotebookModel.VGG11)).isEmpty();
    }

    @Test
    void aRunOnTheNotebooksScheduleGetsAVerdictAndSurvivesTheRoundTrip() throws Exception {
        RunSpec spec = RunSpec.notebook(NotebookModel.RESNET18);
        RunResult result = RunResult.of(spec, result(5, 88.0), 50_000, 4_150_000_000L);

        assertThat(result.verdict()).isEqualTo("inside");
        assertThat(result.notebookSchedule()).isTrue();
        assertThat(result.seconds()).isEqualTo(5 * 600.0);
        assertThat(result.imagesPerSecond()).isEqualTo(5 * 50_000 / 3000.0);
        result.write(dir);
        assertThat(Files.readString(dir.resolve(RunResult.FILE))).contains("\"last_test_accuracy\" : 88.0")
                .contains("\"best_validation_accuracy\" : 85.0").contains("\"verdict\" : \"inside\"");
        assertThat(RunResult.read(dir)).isEqualTo(result);
        assertThat(result.csvRow()).isEqualTo("resnet18,5,3000.0,83.3,3957,88.00,5,85.00,87.00,inside,"
                + "\"test accuracy 85.4-90.1 %\"");
        assertThat(RunResult.CSV_HEADER).startsWith("model,epochs,seconds,");
    }

    @Test
    void aShortenedRunGetsNoVerdict() {
        RunSpec spec = RunSpec.notebook(NotebookModel.RESNET18).withLimit(512);

        assertThat(RunResult.of(spec, result(5, 20.0), 512, -1).verdict()).isEqualTo("n/a");
    }

    private static TrainingResult result(int epochs, double lastTest) {
        List<EpochMetrics> history = new java.util.ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            history.add(new EpochMetrics(e, 0.5, 80, 0.6, 80 + e, 600, 83.3));
        }
        return new TrainingResult(null, new TrainingHistory(history), Optional.of(evaluation(lastTest)),
                Optional.of(evaluation(87.0)), epochs, Optional.empty());
    }

    private static EvaluationResult evaluation(double accuracy) {
        return new EvaluationResult(0.4, accuracy, null);
    }
}
