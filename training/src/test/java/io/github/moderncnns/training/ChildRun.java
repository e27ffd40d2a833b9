package io.github.moderncnns.training;

import io.github.moderncnns.architectures.NotebookModel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A notebook run in a JVM of its own, for the tests that kill it:
 * {@code ChildRun <run dir> <limit> <epochs> [<mid-epoch checkpoint interval in ms>]}.
 */
public final class ChildRun {
    private ChildRun() {
    }

    /**
     * @param args run directory, image limit, epochs, optionally the mid-epoch checkpoint interval in ms
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        NotebookTraining.Options options = NotebookTraining.Options.quiet();
        if (args.length > 3) {
            options = options.withCheckpointInterval(Duration.ofMillis(Long.parseLong(args[3])));
        }
        NotebookTraining.start(spec(Integer.parseInt(args[1]), Integer.parseInt(args[2])), Path.of(args[0]),
                options);
    }

    static RunSpec spec(int limit, int epochs) {
        return RunSpec.notebook(NotebookModel.LENET_BN).withLimit(limit)
                .withRecipe(Recipe.notebook(NotebookModel.LENET_BN).withEpochs(epochs));
    }
}
