package io.github.moderncnns.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.moderncnns.architectures.Architecture;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Where an interrupted run continues: the newest checkpoint that can be read (a corrupt or truncated one is skipped,
 * named), checked against run.json (same network, same parameter count), the history up to it, and a best-model
 * file that is never newer than that history.
 *
 * @param model the checkpoint's model with its updater state, or {@code null} to start from the first epoch
 * @param history the epochs the checkpoint has trained
 */
record ResumePoint(ComputationGraph model, TrainingHistory history) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @return the start of a new run: a fresh model, no history */
    static ResumePoint fresh() {
        return new ResumePoint(null, TrainingHistory.empty());
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
            requireSameNetwork(model, architecture, checkpoint.file(), spec);
            int epoch = checkpoint.epoch();
            if (recorded.epochs().size() < epoch) {
                throw new IOException(runDirectory + ": the checkpoint is of epoch " + epoch + " but "
                        + TrainingHistory.JSON_FILE + " has " + recorded.epochs().size() + " epochs");
            }
            TrainingHistory history = new TrainingHistory(recorded.epochs().subList(0, epoch));
            keepBestConsistent(checkpoints, recorded, history, model, out);
            return new ResumePoint(model, history);
        }
        if (!saved.isEmpty()) {
            throw new IOException(runDirectory + ": none of its checkpoints can be read ("
                    + saved.stream().map(c -> c.file().getFileName().toString()).toList() + "); start a new run");
        }
        out.println("No checkpoint in " + runDirectory + ": starting from the first epoch.");
        return fresh();
    }

    /** The checkpoint must hold the network run.json describes: same layers and settings, same parameter count. */
    private static void requireSameNetwork(ComputationGraph model, Architecture architecture, Path file,
            RunSpec spec) throws IOException {
        long expected = architecture.summary().trainableParameters() + architecture.summary().statisticsParameters();
        JsonNode found = layers(model.getConfiguration().toJson());
        JsonNode wanted = layers(architecture.configuration().toJson());
        if (model.numParams() != expected || !wanted.equals(found)) {
            throw new IOException(file + " does not hold the network run.json describes (" + spec.model().id()
                    + " at " + spec.preset().resize() + "x" + spec.preset().resize() + ", " + expected
                    + " parameters; the checkpoint has " + model.numParams() + (wanted.equals(found) ? ""
                            : " and other layers") + "): was it copied from another run?");
        }
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
