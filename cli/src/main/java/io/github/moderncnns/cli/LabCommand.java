package io.github.moderncnns.cli;

import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.training.LabReport;
import io.github.moderncnns.training.LabSettings;
import io.github.moderncnns.training.LabState;
import io.github.moderncnns.training.NotebookLab;
import io.github.moderncnns.training.NotebookTraining;
import io.github.moderncnns.training.RunResult;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lab}: the whole notebook in its order (AlexNet, VGG, BN-LeNet, ResNet-18), or some of its networks, in a lab
 * directory that survives interruptions ({@link NotebookLab}): {@code lab --resume DIR} goes on where it stopped.
 */
@Command(name = "lab", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the notebook's networks in its order: each network's shapes, training with its preset, "
                + "test accuracy and plots, then a combined report (report.md, results.csv) with the notebook's "
                + "reference bands. Resumable: lab --resume DIR continues an interrupted lab. Use --limit and "
                + "--epochs for a quick tour.")
final class LabCommand implements Callable<Integer> {
    @Option(names = "--models", split = ",", paramLabel = "ID", converter = ModelOption.class,
            description = "The networks to train, run in the notebook's order (default: all four: alexnet, "
                    + "vgg11-small, lenet-bn, resnet18). With --resume: the ones to work on now.")
    List<NotebookModel> models = new ArrayList<>();

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the lab in DIR: finished networks are "
            + "skipped, the interrupted one continues from its last checkpoint, failed ones are tried again.")
    Path resume;

    @Option(names = "--out", paramLabel = "DIR", description = "A new lab directory (default: "
            + "runs/<date>-<time>-lab).")
    Path out;

    @Mixin
    RunOptions run;

    @Mixin
    UiOptions ui;

    @Mixin
    DataDirectoryOption data;

    @Mixin
    ThreadsOption threads;

    @Mixin
    CheckpointOption checkpoints;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintStream stdout = CommandOutput.of(spec);
        long start = System.nanoTime();
        NotebookTraining.Options options = ui.apply(checkpoints.apply(new NotebookTraining.Options(stdout, true,
                ui.address()))).withThreads(threads.requested());
        Path directory;
        LabState state;
        if (resume != null) {
            List<String> fixed = new ArrayList<>();
            addIf(fixed, out != null, "--out");
            addIf(fixed, run.epochs != null, "--epochs");
            addIf(fixed, run.limit != null, "--limit");
            addIf(fixed, run.seed != null, "--seed");
            addIf(fixed, run.splitSeed != null, "--split-seed");
            addIf(fixed, data.directory != null, "--data-dir");
            if (!fixed.isEmpty()) {
                throw new ParameterException(spec.commandLine(), String.join(", ", fixed) + " cannot be combined "
                        + "with --resume: a lab keeps the settings it started with (" + resume.resolve(LabState.FILE)
                        + "); start a new lab with --out to change them");
            }
            directory = resume;
            LabState before = LabState.read(directory);
            printEstimate(NotebookLab.estimateSeconds(directory, before, models));
            state = NotebookLab.resume(directory, models, options);
        } else {
            directory = out != null ? out : RunDirectories.fresh(Path.of("runs"), "lab");
            LabSettings defaults = LabSettings.notebook();
            LabSettings settings = new LabSettings(models.isEmpty() ? defaults.models() : models, run.epochs,
                    run.limitOrAll(), data.directory == null ? null : data.directory.toString(),
                    run.seed == null ? defaults.seed() : run.seed,
                    run.splitSeed == null ? defaults.splitSeed() : run.splitSeed);
            if (Files.exists(directory.resolve(LabState.FILE))) {
                throw new ModernCnns.UserError(directory + " holds a lab already: continue it with 'moderncnns lab "
                        + "--resume " + directory + "', or choose a new --out");
            }
            stdout.println("Lab directory: " + directory);
            printEstimate(NotebookLab.estimateSeconds(null, LabState.fresh(settings), List.of()));
            state = NotebookLab.start(settings, directory, options);
        }
        printSummary(directory, state);
        stdout.printf(Locale.ROOT, "This session of the lab took %s.%n",
                NotebookLab.duration((System.nanoTime() - start) / 1e9));
        if (!state.failed().isEmpty()) {
            StringBuilder why = new StringBuilder();
            state.failed().forEach(n -> why.append(n.model()).append(" (").append(n.failure()).append("); "));
            throw new ModernCnns.UserError("the lab finished with failures: " + why + "retry with 'moderncnns lab "
                    + "--resume " + directory + " --models " + String.join(",", state.failed().stream()
                            .map(LabState.Network::model).toList()) + "'");
        }
        return 0;
    }

    private static void addIf(List<String> names, boolean given, String name) {
        if (given) {
            names.add(name);
        }
    }

    private void printEstimate(double seconds) {
        PrintStream stdout = CommandOutput.of(spec);
        stdout.printf(Locale.ROOT, "Estimated training time on this machine: %s (from measured epochs where "
                + "there are some, else one timed training step per network)%n%n", NotebookLab.duration(seconds));
    }

    private void printSummary(Path directory, LabState state) throws java.io.IOException {
        PrintStream stdout = CommandOutput.of(spec);
        stdout.println("| model        | epochs | test acc | best validation acc | test acc at best | verdict |");
        stdout.println("|--------------|-------:|---------:|--------------------:|-----------------:|---------|");
        for (LabState.Network network : state.networks()) {
            if (network.status() != LabState.Status.DONE) {
                stdout.printf(Locale.ROOT, "| %-12s | %6s | %8s | %19s | %16s | %-7s |%n", network.model(), "", "", "",
                        "", network.status().name().toLowerCase(Locale.ROOT));
                continue;
            }
            RunResult r = RunResult.read(directory.resolve(network.runDirectory()));
            stdout.printf(Locale.ROOT, "| %-12s | %6d | %8.2f | %8.2f (epoch %d) | %16.2f | %-7s |%n", r.model(),
                    r.epochs(), r.lastTestAccuracy(), r.bestValidationAccuracy(), r.bestEpoch(),
                    r.bestTestAccuracy(), r.verdict());
        }
        stdout.println();
        stdout.println("Combined report: " + directory.resolve(LabReport.REPORT_FILE) + ", "
                + directory.resolve(LabReport.CSV_FILE) + ", " + directory.resolve(LabReport.PLOT_FILE));
    }
}
