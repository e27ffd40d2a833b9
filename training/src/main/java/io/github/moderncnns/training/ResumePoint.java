package io.github.moderncnns.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.moderncnns.architectures.Architecture;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where an interrupted run continues: the newest checkpoint that can be read (a corrupt or truncated one is skipped,
 * named), checked against run.json (same network, same parameter count), the history up to it, and a best-model
 * file that is never newer than that history. The newest is the mid-epoch checkpoint when it continues the newest
 * readable epoch checkpoint (its epoch is the next one); otherwise it is stale and ignored.
 *
 * @param model the checkpoint's model with its updater state, or {@code null} to start from the first epoch
 * @param history the epochs the checkpoint has trained
 * @param interrupted how far the epoch after the history had got, for a mid-epoch checkpoint; else {@code null}
 */
record ResumePoint(ComputationGraph model, TrainingHistory history, EpochProgress interrupted) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @return the start of a new run: a fresh model, no history */
    static ResumePoint fresh() {
        return new ResumePoint(null, TrainingHistory.empty(), null);
    }

    /**
     * @param runDirectory the run directory
     * @param spec the run's spec
     * @param architecture the network run.json describes
     * @param out where to say what was skipped
     * @return where to continue
     * @throws IOException if checkpoints exist and none can be read, a checkpoint belongs to another network, or the
     *                     history is shorter than the checkpoint
     */
    static ResumePoint find(Path runDirectory, RunSpec spec, Architecture architecture, PrintStream out)
            throws IOException {
        Checkpoints checkpoints = new Checkpoints(runDirectory, spec.keepCheckpoints());
        List<Checkpoints.Saved> saved = checkpoints.newestFirst();
        TrainingHistory recorded = Files.isRegularFile(runDirectory.resolve(TrainingHistory.JSON_FILE))
                ? TrainingHistory.read(runDirectory) : TrainingHistory.empty();
        for (Checkpoints.Saved checkpoint : saved) {
            ComputationGraph model;
            try {
                model = checkpoint.load();
            } catch (IOException e) {
                out.println("Skipping the unreadable checkpoint " + checkpoint.file() + " (" + e.getMessage() + ")");
                continue;
            }
            model = inThisVersionsLayers(model, architecture, checkpoint.file(), spec, out);
            int epoch = checkpoint.epoch();
            if (recorded.epochs().size() < epoch) {
                throw new IOException(runDirectory + ": the checkpoint is of epoch " + epoch + " but "
                        + TrainingHistory.JSON_FILE + " has " + recorded.epochs().size() + " epochs");
            }
            TrainingHistory history = new TrainingHistory(recorded.epochs().subList(0, epoch));
            keepBestConsistent(checkpoints, recorded, history, model, out);
            return continuedWithin(checkpoints, history, architecture, spec, out)
                    .orElse(new ResumePoint(model, history, null));
        }
        if (!saved.isEmpty()) {
            throw new IOException(runDirectory + ": none of its checkpoints can be read ("
                    + saved.stream().map(c -> c.file().getFileName().toString()).toList() + "); start a new run");
        }
        Optional<ResumePoint> withinFirst = continuedWithin(checkpoints, TrainingHistory.empty(), architecture, spec,
                out);
        if (withinFirst.isPresent()) {
            return withinFirst.get();
        }
        out.println("No checkpoint in " + runDirectory + ": starting from the first epoch.");
        return fresh();
    }

    /**
     * The mid-epoch checkpoint, if it is of the epoch after {@code history} and readable; a stale or unreadable
     * one is named and left alone (the next mid-epoch checkpoint replaces it).
     */
    private static Optional<ResumePoint> continuedWithin(Checkpoints checkpoints, TrainingHistory history,
            Architecture architecture, RunSpec spec, PrintStream out) throws IOException {
        Optional<Checkpoints.Partial> partial;
        try {
            partial = checkpoints.partial();
        } catch (IOException e) {
            out.println("Skipping the unreadable mid-epoch checkpoint (" + e.getMessage() + ")");
            return Optional.empty();
        }
        if (partial.isEmpty()) {
            return Optional.empty();
        }
        EpochProgress progress = partial.get().progress();
        if (progress.epoch() != history.epochs().size() + 1) {
            out.println("Skipping the mid-epoch checkpoint " + partial.get().file() + ": it is of epoch "
                    + progress.epoch() + ", not of the epoch after the " + history.epochs().size() + " resumed");
            return Optional.empty();
        }
        ComputationGraph model;
        try {
            model = partial.get().load();
        } catch (IOException e) {
            out.println("Skipping the unreadable mid-epoch checkpoint " + partial.get().file() + " ("
                    + e.getMessage() + ")");
            return Optional.empty();
        }
        model = inThisVersionsLayers(model, architecture, partial.get().file(), spec, out);
        return Optional.of(new ResumePoint(model, history, progress));
    }

    /**
     * The checkpoint's model, which must hold the network run.json describes (same parameter count), in the layers
     * this version builds. A checkpoint of a version whose layers differ only where they hold no parameters (DL4J's
     * activation and pooling layers before 2026-12-02, now fused into or replaced by the project's) has the same
     * parameters under the same names in the same order: they are carried, with the updater's state and the
     * iteration count the schedules read, into a graph of this version's layers, which compute the same function.
     */
    static ComputationGraph inThisVersionsLayers(ComputationGraph model, Architecture architecture, Path file,
            RunSpec spec, PrintStream out) throws IOException {
        long expected = architecture.summary().trainableParameters() + architecture.summary().statisticsParameters();
        if (model.numParams() != expected) {
            throw new IOException(file + " does not hold the network run.json describes (" + spec.model().id()
                    + " at " + spec.recipe().resize() + "x" + spec.recipe().resize() + ", " + expected
                    + " parameters; the checkpoint has " + model.numParams() + "): was it copied from another run?");
        }
        if (layers(architecture.configuration().toJson()).equals(layers(model.getConfiguration().toJson()))) {
            return model;
        }
        ComputationGraph current = architecture.init();
        if (!sameParameterLayout(model, current)) {
            throw new IOException(file + " holds " + spec.model().id() + "'s parameters in other layers than this "
                    + "version of modern-cnns builds: resume the run with the version that started it, or start it "
                    + "anew");
        }
        current.setParams(model.params());
        INDArray state = model.getUpdater().getStateViewArray();
        if (state != null) {
            current.getUpdater().getStateViewArray().assign(state);
        }
        current.getConfiguration().setIterationCount(model.getConfiguration().getIterationCount());
        current.getConfiguration().setEpochCount(model.getConfiguration().getEpochCount());
        out.println("Carried " + file.getFileName() + "'s parameters and updater state into this version's layers "
                + "(the checkpoint was written by a version with other layer classes)");
        return current;
    }

    /** The same parameter names, in the same order, of the same shapes, and updater states of the same size. */
    private static boolean sameParameterLayout(ComputationGraph a, ComputationGraph b) {
        Map<String, INDArray> pa = a.paramTable();
        Map<String, INDArray> pb = b.paramTable();
        if (!List.copyOf(pa.keySet()).equals(List.copyOf(pb.keySet()))) {
            return false;
        }
        for (Map.Entry<String, INDArray> entry : pa.entrySet()) {
            if (!Arrays.equals(entry.getValue().shape(), pb.get(entry.getKey()).shape())) {
                return false;
            }
        }
        INDArray sa = a.getUpdater().getStateViewArray();
        INDArray sb = b.getUpdater().getStateViewArray();
        return sa == null ? sb == null : sb != null && sa.length() == sb.length();
    }

    /** The configuration's vertices, without the parameter names DL4J fills in once a graph is initialised. */
    private static JsonNode layers(String configuration) throws IOException {
        JsonNode vertices = JSON.readTree(configuration).get("vertices");
        for (JsonNode vertex : vertices) {
            if (vertex.get("layerConf") instanceof ObjectNode layer) {
                layer.remove("variables");
            }
        }
        return vertices;
    }

    /**
     * {@code best.zip} may be of an epoch after the checkpoint resumed from (that epoch's checkpoint was unreadable):
     * it would claim a history the resumed run has not got. Then the resumed model becomes the best one if it is,
     * and otherwise the file goes.
     */
    private static void keepBestConsistent(Checkpoints checkpoints, TrainingHistory recorded,
            TrainingHistory history, ComputationGraph model, PrintStream out) throws IOException {
        Optional<Path> best = checkpoints.best();
        Optional<EpochMetrics> recordedBest = recorded.best();
        int resumed = history.epochs().size();
        if (best.isEmpty() || recordedBest.isEmpty() || recordedBest.get().epoch() <= resumed) {
            return;
        }
        int bestSoFar = history.best().map(EpochMetrics::epoch).orElse(0);
        if (bestSoFar == resumed) {
            checkpoints.saveBest(model);
        } else {
            Files.delete(best.get());
            out.println("Removed " + best.get() + ": it was of epoch " + recordedBest.get().epoch() + ", after the "
                    + "checkpoint resumed from (" + resumed + "); the best model up to it (epoch " + bestSoFar
                    + ") is not on disk any more");
        }
    }
}
