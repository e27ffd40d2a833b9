package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.moderncnns.architectures.NotebookModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run.json: what resume reads back, including files written by earlier versions. */
class RunSpecTest {
    @TempDir
    Path dir;

    @Test
    void theDataParallelModeSurvivesTheRoundTrip() throws Exception {
        RunSpec spec = RunSpec.notebook(NotebookModel.LENET_BN).withDataParallel(DataParallel.gradientSharing(3));
        spec.write(dir);

        assertThat(Files.readString(dir.resolve(RunSpec.FILE))).contains("\"mode\" : \"GRADIENT_SHARING\"");
        assertThat(RunSpec.read(dir)).isEqualTo(spec);
    }

    @Test
    void filesFromBeforeTheModeExistedMeanAveraging() throws Exception {
        RunSpec.notebook(NotebookModel.LENET_BN).withDataParallel(DataParallel.averaging(2)).write(dir);
        Path file = dir.resolve(RunSpec.FILE);
        String withoutMode = Files.readString(file).replaceAll(",\\s*\"mode\" : \"AVERAGING\"", "");
        assertThat(withoutMode).doesNotContain("\"mode\"").contains("\"workers\" : 2");
        Files.writeString(file, withoutMode);

        assertThat(RunSpec.read(dir).dataParallel()).isEqualTo(DataParallel.averaging(2));
    }

    @Test
    void filesFromBeforeTheSplitSeedExistedSplitWithTheirSeed() throws Exception {
        RunSpec.notebook(NotebookModel.LENET_BN).withSeed(7).withSplitSeed(7).write(dir);
        Path file = dir.resolve(RunSpec.FILE);
        String withoutSplitSeed = Files.readString(file).replaceAll("\\s*\"splitSeed\" : 7,", "");
        assertThat(withoutSplitSeed).doesNotContain("splitSeed").contains("\"seed\" : 7");
        Files.writeString(file, withoutSplitSeed);

        assertThat(RunSpec.read(dir).splitSeed()).isEqualTo(7);
        assertThat(RunSpec.read(dir).seed()).isEqualTo(7);
    }
}
