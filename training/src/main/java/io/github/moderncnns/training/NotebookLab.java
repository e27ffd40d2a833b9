package io.github.moderncnns.training;

import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.architectures.NotebookShapes;
import io.github.moderncnns.data.DatasetException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The notebook's whole lab in a directory of its own: for each network, in the notebook's order, the shapes the
 * notebook prints, training with its notebook recipe in a run directory ({@link NotebookTraining}), the test accuracy and, for
 * BN-LeNet, the learned batch-norm scale and shift; then one report for all ({@link LabReport}). The lab takes hours,
 * so it is built to be interrupted: {@code lab.json} ({@link LabState}) records where each network stands,
 * {@link #resume} skips finished networks and continues the interrupted one from its last checkpoint, and a network
 * that fails (out of memory, say) is recorded and does not stop the others.
 */
public final class NotebookLab {
    private NotebookLab() {
    }

    /**
     * Starts a lab in a directory that must not exist yet (or be empty).
     *
     * @param settings what to train
     * @param labDirectory the new lab directory
     * @param options output settings
     * @return the final state; {@link LabState#failed()} lists the networks that failed
     * @throws IOException if the directory holds something already, or writing fails
     * @throws DatasetException if the data cannot be loaded (no network can train then)
     */
    public static LabState start(LabSettings settings, Path labDirectory, NotebookTraining.Options options)
            throws IOException, DatasetException {
        if (Files.isRegularFile(labDirectory.resolve(LabState.FILE))) {
            throw new FileAlreadyExistsException(labDirectory.toString(), null, "it holds a lab already; continue "
                    + "it with: moderncnns lab --resume " + labDirectory + " (or choose another --out)");
        }
        if (Files.exists(labDirectory) && !isEmptyDirectory(labDirectory)) {
            throw new FileAlreadyExistsException(labDirectory.toString(), null, "it exists and is not empty; choose "
                    + "a new lab directory");
        }
        Files.createDirectories(labDirectory);
        LabState state = LabState.fresh(settings);
        state.write(labDirectory);
        return run(labDirectory, state, settings.models(), options);
    }

    /**
     * Continues a lab: finished networks are skipped, an interrupted one resumes from its last checkpoint (same data
     * order), failed and pending ones start (again).
     *
     * @param labDirectory the lab directory
     * @param only the networks to work on now (a subset of the lab's), or empty for all
     * @param options output settings
     * @return the final state
     * @throws IOException if it is not a lab directory, or reading or writing fails
     * @throws DatasetException if the data cannot be loaded
     */
    public static LabState resume(Path labDirectory, Collection<NotebookModel> only, NotebookTraining.Options options)
            throws IOException, DatasetException {
        LabState state = LabState.read(labDirectory);
        only.forEach(state::network); // refuses a network that is not part of the lab
        state.write(labDirectory);
        return run(labDirectory, state, only.isEmpty() ? state.settings().models() : only, options);
    }

    private static LabState run(Path labDirectory, LabState initial, Collection<NotebookModel> todo,
            NotebookTraining.Options options) throws IOException, DatasetException {
        PrintStream out = options.out();
        LabState state = initial;
        try (LabUi ui = LabUi.start(options)) {
            NotebookTraining.Options each = ui.optionsForRuns(options);
            for (NotebookModel model : state.settings().models()) {
                LabState.Network network = state.network(model);
                Path run = labDirectory.resolve(network.runDirectory());
                if (network.status() == LabState.Status.DONE) {
                    out.println(model.id() + ": done in an earlier session (" + run + ")" + System.lineSeparator());
                    ui.show(run);
                    continue;
                }
                if (!todo.contains(model)) {
                    continue;
                }
                state = train(labDirectory, state, model, each);
                ui.show(run);
            }
        }
        LabReport.write(labDirectory, state);
        return state;
    }

    /** One network: shapes, training (new or resumed), test, batch-norm values; a failure is recorded, not thrown. */
    private static LabState train(Path labDirectory, LabState state, NotebookModel model,
            NotebookTraining.Options options) throws IOException, DatasetException {
        PrintStream out = options.out();
        long start = System.nanoTime();
        RunSpec spec = state.settings().runSpec(model);
        Path run = labDirectory.resolve(state.network(model).runDirectory());
        printShapes(model, spec.recipe().resize(), out);
        state = state.with(model, LabState.Status.STARTED, null, 0);
        state.write(labDirectory);
        try {
            TrainingResult result = Files.isRegularFile(run.resolve(RunSpec.FILE))
                    ? NotebookTraining.resume(run, options) : NotebookTraining.start(spec, run, options);
            if (model == NotebookModel.LENET_BN) {
                out.println("The first batch-norm layer's learned scale and shift (net[1].weight, .bias):");
                out.print(BatchNormInspector.inspect(result.model(), "bn1"));
            }
            out.println("Plots and report in " + run + System.lineSeparator());
            state = state.with(model, LabState.Status.DONE, null, seconds(start));
        } catch (DatasetException e) {
            throw e; // no network can train without the data: not this network's failure
        } catch (Exception | OutOfMemoryError e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                    + e.getMessage();
            out.println(model.id() + " FAILED: " + why);
            out.println("The lab goes on with the next network; retry this one with: moderncnns lab --resume "
                    + labDirectory + " --models " + model.id() + System.lineSeparator());
            state = state.with(model, LabState.Status.FAILED, why, seconds(start));
        }
        state.write(labDirectory);
        return state;
    }

    /**
     * The notebook's shape printout and the DL4J layer table. As the notebook, VGG prints the full VGG-11's shapes and
     * then trains the small one.
     */
    private static void printShapes(NotebookModel model, int resize, PrintStream out) {
        if (model == NotebookModel.VGG11_SMALL) {
            out.print(NotebookShapes.of(NotebookModel.VGG11));
            out.println("VGG-11 is heavy: as the notebook, train the version with a quarter of the channels.");
        } else {
            out.print(NotebookShapes.of(model));
        }
        out.println();
        out.println("DL4J's layers at the training input size:");
        out.print(model.builder().optInputSize(resize).build().summary());
        out.println();
    }

    /**
     * How long the networks still to train will take here: their remaining epochs times the mean epoch time measured
     * so far where a network has trained an epoch, else one timed training step on random data scaled to an epoch
     * (validation and test add ~30 %).
     *
     * @param labDirectory the lab directory (its run directories may hold measured epochs), or {@code null}
     * @param state the lab's state
     * @param only the networks to train now (as {@link #resume} takes them), or empty for all
     * @return the estimate in seconds
     * @throws IOException if a run directory's metrics cannot be read
     */
    public static double estimateSeconds(Path labDirectory, LabState state, Collection<NotebookModel> only)
            throws IOException {
        double total = 0;
        for (NotebookModel model : state.settings().models()) {
            if (state.network(model).status() == LabState.Status.DONE || !only.isEmpty() && !only.contains(model)) {
                continue;
            }
            RunSpec spec = state.settings().runSpec(model);
            Path run = labDirectory == null ? null : labDirectory.resolve(state.network(model).runDirectory());
            TrainingHistory done = run != null && Files.isRegularFile(run.resolve(TrainingHistory.JSON_FILE))
                    ? TrainingHistory.read(run) : TrainingHistory.empty();
            int remaining = Math.max(0, spec.recipe().epochs() - done.epochs().size());
            double epochSeconds = done.epochs().isEmpty() ? probeEpochSeconds(spec)
                    : done.epochs().stream().mapToDouble(EpochMetrics::seconds).average().orElseThrow();
            total += remaining * epochSeconds;
        }
        return total;
    }

    /** One warm-up and one timed training step on 16 random images, scaled to an epoch of the spec's data. */
    private static double probeEpochSeconds(RunSpec spec) {
        Recipe recipe = spec.recipe();
        int side = recipe.resize();
        int images = spec.trainImages();
        ComputationGraph graph = spec.architecture().init();
        int probe = Math.min(recipe.batchSize(), 16);
        DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, probe, 1, side, side),
                Nd4j.zeros(DataType.FLOAT, probe, 10).putScalar(0, 0, 1f));
        graph.fit(data);
        long start = System.nanoTime();
        graph.fit(data);
        return seconds(start) / probe * images * 1.3;
    }

    private static boolean isEmptyDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (var entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * @param seconds a duration
     * @return it as {@code 1 h 23 min} or {@code 4 min 5 s}
     */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
}
