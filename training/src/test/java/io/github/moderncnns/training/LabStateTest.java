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

/** lab.json: written and read back, brought in line with the run directories, and adopted from older labs. */
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
