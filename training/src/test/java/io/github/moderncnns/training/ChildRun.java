package io.github.moderncnns.training;

import io.github.moderncnns.architectures.NotebookModel;
import java.nio.file.Path;

/** A notebook run in a JVM of its own, for the test that kills it: {@code ChildRun <run dir> <limit> <epochs>}. */
public final class ChildRun {
    private ChildRun() {
    }

    /**
     * @param args run directory, image limit, epochs
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        NotebookTraining.start(spec(Integer.parseInt(args[1]), Integer.parseInt(args[2])), Path.of(args[0]),
                NotebookTraining.Options.quiet());
    }

    static RunSpec spec(int limit, int epochs) {
        return RunSpec.notebook(NotebookModel.LENET_BN).withLimit(limit)
                .withPreset(TrainingPreset.of(NotebookModel.LENET_BN).withEpochs(epochs));
    }
}
