package io.github.moderncnns.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.data.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A lab directory's {@code lab.json}: the lab's settings and where each network stands, rewritten (atomically)
 * whenever a network starts, finishes or fails, so that {@code lab --resume} knows what is left after any
 * interruption. Each network trains in the run directory named by its id ({@code alexnet/}, ...), which alone says
 * whether it finished ({@value RunResult#FILE}) or can be continued ({@value RunSpec#FILE} and checkpoints): on
 * reading, the statuses are brought in line with the run directories.
 *
 * @param settings what the lab trains
 * @param networks one entry per network of {@code settings.models()}, in the same order
 */
public record LabState(LabSettings settings, List<Network> networks) {
    /** The file's name in a lab directory. */
    public static final String FILE = "lab.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Keeps an immutable copy. */
    public LabState {
        Objects.requireNonNull(settings, "settings");
        networks = List.copyOf(networks);
    }

    /** Where a network of the lab stands. */
    public enum Status {
        /** Not started. */
        PENDING,
        /** Started and not finished: training, or interrupted (resumable from its last checkpoint). */
        STARTED,
        /** Finished: its run directory has {@value RunResult#FILE}. */
        DONE,
        /** Ended with an error; {@code lab --resume} tries it again. */
        FAILED
    }

    /**
     * One network of the lab.
     *
     * @param model the network's id
     * @param status where it stands
     * @param failure the error that ended it, for {@link Status#FAILED}
     * @param wallSeconds wall time spent on it so far, over all sessions (shapes, training, test and report)
     */
    public record Network(String model, Status status, String failure, double wallSeconds) {
        /** @return the run directory's name in the lab directory */
        public String runDirectory() {
            return model;
        }

        Network with(Status value, String why, double addedSeconds) {
            return new Network(model, value, why, wallSeconds + addedSeconds);
        }
    }

    /**
     * @param settings the lab's settings
     * @return a new lab with every network pending
     */
    public static LabState fresh(LabSettings settings) {
        return new LabState(settings, settings.models().stream()
                .map(model -> new Network(model.id(), Status.PENDING, null, 0)).toList());
    }

    /**
     * @param model a network of the lab
     * @return its entry
     */
    public Network network(NotebookModel model) {
        return networks.stream().filter(n -> n.model().equals(model.id())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(model.id() + " is not part of this lab (it has "
                        + settings.models().stream().map(NotebookModel::id).toList() + ")"));
    }

    /**
     * @param model a network of the lab
     * @param status its new status
     * @param failure the error, for a failure
     * @param seconds wall time to add
     * @return the new state
     */
    public LabState with(NotebookModel model, Status status, String failure, double seconds) {
        List<Network> all = new ArrayList<>();
        for (Network n : networks) {
            all.add(n.model().equals(model.id()) ? n.with(status, failure, seconds) : n);
        }
        return new LabState(settings, all);
    }

    /** @return the networks that ended with an error */
    public List<Network> failed() {
        return networks.stream().filter(n -> n.status() == Status.FAILED).toList();
    }

    /**
     * Writes {@value #FILE} atomically.
     *
     * @param labDirectory the lab directory
     * @throws IOException if writing fails
     */
    public void write(Path labDirectory) throws IOException {
        AtomicFiles.write(labDirectory.resolve(FILE), JSON.writeValueAsBytes(this));
    }

    /**
     * Reads a lab directory's state, with every network's status taken from its run directory where that says
     * more (a network whose run directory holds {@value RunResult#FILE} is done, whatever {@value #FILE} says).
     * A lab directory from before {@value #FILE} existed (modern-cnns 0.1.0 wrote only the run directories) is read
     * as the lab of the four notebook networks with the settings of its run directories.
     *
     * @param labDirectory the lab directory
     * @return its state
     * @throws IOException if it is not a lab directory or the file is unreadable
     */
    public static LabState read(Path labDirectory) throws IOException {
        Path file = labDirectory.resolve(FILE);
        LabState state;
        if (Files.isRegularFile(file)) {
            state = JSON.readValue(file.toFile(), LabState.class);
        } else {
            state = fresh(settingsOfRunDirectories(labDirectory).orElseThrow(() -> new IOException(labDirectory
                    + " is not a lab directory: it has neither " + FILE + " nor a network's run directory; check the "
                    + "path, or start a new lab with: moderncnns lab --out NEW_DIRECTORY")));
        }
        List<Network> reconciled = new ArrayList<>();
        for (Network n : state.networks()) {
            Path run = labDirectory.resolve(n.runDirectory());
            Status status = n.status();
            if (Files.isRegularFile(run.resolve(RunResult.FILE))) {
                status = Status.DONE;
            } else if (status == Status.DONE || status == Status.PENDING && Files.isRegularFile(run.resolve(
                    RunSpec.FILE))) {
                status = Status.STARTED;
            }
            reconciled.add(new Network(n.model(), status, status == Status.FAILED ? n.failure() : null,
                    n.wallSeconds()));
        }
        return new LabState(state.settings(), reconciled);
    }

    /** The settings of the first notebook network's run directory found in an old lab directory. */
    private static Optional<LabSettings> settingsOfRunDirectories(Path labDirectory) throws IOException {
        for (NotebookModel model : LabSettings.NOTEBOOK_ORDER) {
            Path run = labDirectory.resolve(model.id());
            if (Files.isRegularFile(run.resolve(RunSpec.FILE))) {
                RunSpec spec = RunSpec.read(run);
                boolean presetEpochs = spec.recipe().epochs() == Recipe.notebook(model).epochs();
                return Optional.of(new LabSettings(LabSettings.NOTEBOOK_ORDER,
                        presetEpochs ? null : spec.recipe().epochs(), spec.limit(), spec.dataDirectory(), spec.seed(),
                        spec.splitSeed()));
            }
        }
        return Optional.empty();
    }
}
