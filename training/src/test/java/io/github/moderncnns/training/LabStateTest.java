package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.moderncnns.architectures.NotebookModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lab.json: written and read back, brought in line with the run directories, adopted from older labs, and continued
 * from the text files of its finished networks.
 */
class LabStateTest {
    @TempDir
    Path lab;

    @Test
    void theStateSurvivesTheRoundTripWithTheNetworksInTheNotebooksOrder() throws Exception {
        LabSettings settings = new LabSettings(List.of(NotebookModel.RESNET18, NotebookModel.LENET_BN), 2, 512,
                "/data", 7, 42);
        LabState state = LabState.fresh(settings).with(NotebookModel.LENET_BN, LabState.Status.FAILED,
                "OutOfMemoryError: Java heap space", 12.5);
        state.write(lab);

        LabState read = LabState.read(lab);
        assertThat(read).isEqualTo(state);
        assertThat(read.settings().models()).containsExactly(NotebookModel.LENET_BN, NotebookModel.RESNET18);
        assertThat(read.failed()).extracting(LabState.Network::model).containsExactly("lenet-bn");
        assertThat(read.network(NotebookModel.LENET_BN).wallSeconds()).isEqualTo(12.5);
        assertThat(Files.readString(lab.resolve(LabState.FILE))).contains("\"status\" : \"FAILED\"")
                .contains("\"splitSeed\" : 42");
    }

    @Test
    void theRunDirectoriesSayWhatIsDoneAndWhatWasStarted() throws Exception {
        LabState.fresh(LabSettings.notebook()).with(NotebookModel.ALEXNET, LabState.Status.STARTED, null, 0)
                .write(lab);
        Files.createDirectories(lab.resolve("alexnet"));
        Files.writeString(lab.resolve("alexnet").resolve(RunResult.FILE), "{}"); // finished after lab.json's write
        LabSettings.notebook().runSpec(NotebookModel.VGG11_SMALL).write(Files.createDirectories(
                lab.resolve("vgg11-small"))); // started, killed before lab.json said so

        LabState read = LabState.read(lab);

        assertThat(read.networks()).extracting(LabState.Network::status).containsExactly(LabState.Status.DONE,
                LabState.Status.STARTED, LabState.Status.PENDING, LabState.Status.PENDING);
    }

    @Test
    void aLabContinuesElsewhereFromItsTextFilesAlone() throws Exception {
        // what docs/results/notebook-lab keeps: lab.json, and a finished network's result.json and metrics.csv
        LabState.fresh(LabSettings.notebook()).with(NotebookModel.ALEXNET, LabState.Status.DONE, null, 27_566)
                .write(lab);
        Path alexnet = Files.createDirectories(lab.resolve("alexnet"));
        new RunResult("alexnet", 2, 8000, 12.5, 4_371_374_080L, 83.94, 2, 84.6, 83.94, true,
                "test accuracy 81.6-85.3 %", "inside").write(alexnet);
        Files.writeString(alexnet.resolve(TrainingHistory.CSV_FILE), TrainingHistory.CSV_HEADER + "\n"
                + "1,1.426734,47.4540,0.770514,71.7900,4078.541\n2,0.456084,83.0680,0.422736,84.6000,3921.459\n");

        LabState read = LabState.read(lab);
        LabReport.write(lab, read);

        assertThat(read.network(NotebookModel.ALEXNET).status()).isEqualTo(LabState.Status.DONE);
        assertThat(TrainingHistory.read(alexnet).validationAccuracy()).containsExactly(71.79, 84.6);
        assertThat(Files.readString(lab.resolve(LabReport.REPORT_FILE)))
                .contains("| [alexnet](alexnet/report.md) | done | 2 | 2 h 13 min | 13 | 4.37 GB | **83.94** | "
                        + "84.60 (2) | 83.94 | test accuracy 81.6-85.3 % | inside |")
                .contains("| vgg11-small | pending |").contains("![validation accuracy](validation-accuracy.png)");
        assertThat(lab.resolve(LabReport.PLOT_FILE)).isNotEmptyFile();
    }

    @Test
    void aDamagedMetricsFileIsNamedWithTheLineAndWhatWasExpected() throws Exception {
        Files.writeString(lab.resolve(TrainingHistory.CSV_FILE), TrainingHistory.CSV_HEADER + "\n1,0.5,80,0.6\n");

        assertThatThrownBy(() -> TrainingHistory.read(lab)).isInstanceOf(IOException.class)
                .hasMessage(lab.resolve("metrics.csv") + " line 2: expected six numbers (epoch,train_loss,"
                        + "train_accuracy,validation_loss,validation_accuracy,seconds), found 1,0.5,80,0.6");
    }

    @Test
    void aLabDirectoryFromBeforeLabJsonIsReadWithTheSettingsOfItsRuns() throws Exception {
        RunSpec alexnet = RunSpec.notebook(NotebookModel.ALEXNET).withLimit(32)
                .withRecipe(Recipe.notebook(NotebookModel.ALEXNET).withEpochs(1));
        alexnet.write(Files.createDirectories(lab.resolve("alexnet")));

        LabState read = LabState.read(lab);

        assertThat(read.settings()).isEqualTo(new LabSettings(LabSettings.NOTEBOOK_ORDER, 1, 32, null, 42, 42));
        assertThat(read.network(NotebookModel.ALEXNET).status()).isEqualTo(LabState.Status.STARTED);
        assertThat(read.settings().runSpec(NotebookModel.ALEXNET)).isEqualTo(alexnet);
    }

    @Test
    void aDirectoryThatIsNoLabIsRefusedWithTheFix() {
        assertThatThrownBy(() -> LabState.read(lab)).isInstanceOf(IOException.class)
                .hasMessage(lab + " is not a lab directory: it has neither lab.json nor a network's run directory; "
                        + "check the path, or start a new lab with: moderncnns lab --out NEW_DIRECTORY");
    }

    @Test
    void aLabTrainsOnlyTheNotebooksNetworks() {
        assertThatThrownBy(() -> new LabSettings(List.of(NotebookModel.VGG11), null, -1, null, 42, 42))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vgg11 is not trained by the notebook; a lab trains [alexnet, vgg11-small, lenet-bn, "
                        + "resnet18]");
        assertThatThrownBy(() -> LabState.fresh(LabSettings.notebook().withModels(List.of(NotebookModel.LENET_BN)))
                .network(NotebookModel.RESNET18)).hasMessage("resnet18 is not part of this lab (it has [lenet-bn])");
    }
}
