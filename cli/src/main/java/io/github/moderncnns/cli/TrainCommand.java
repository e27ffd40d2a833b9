package io.github.moderncnns.cli;

import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.spark.DataSetFiles;
import io.github.moderncnns.spark.GradientSharing;
import io.github.moderncnns.spark.SparkSettings;
import io.github.moderncnns.spark.SparkTrainJob;
import io.github.moderncnns.training.DataParallel;
import io.github.moderncnns.training.NotebookTraining;
import io.github.moderncnns.training.RunReport;
import io.github.moderncnns.training.RunSpec;
import io.github.moderncnns.training.TemporaryDirectory;
import io.github.moderncnns.training.TrainingHistory;
import io.github.moderncnns.training.TrainingPlots;
import io.github.moderncnns.training.Recipe;
import io.github.moderncnns.training.TrainingResult;
import io.github.moderncnns.training.TrainingUi;
import io.github.moderncnns.training.TrainingUiServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code train}: one notebook training cell, with the model's notebook recipe or another, any field overridden. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a network with the notebook's recipe or another one (each setting can be overridden).")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", converter = ModelOption.class, completionCandidates = ModelOption.class,
            description = "One of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).", defaultValue = "lenet-bn")
    NotebookModel model;

    @Mixin
    RunOptions run;

    @Mixin
    RecipeOptions recipeOptions;

    @Option(names = "--write-recipe", paramLabel = "FILE", description = "Write the recipe these options make to "
            + "FILE (JSON) and exit without training; edit it and train it with --recipe FILE.")
    Path writeRecipe;

    @Mixin
    DataDirectoryOption data;

    @Option(names = "--out", description = "Run directory (default: runs/<date>-<time>-<model>); must not exist.")
    Path out;

    @Option(names = "--restore-best", description = "Keep the best-validation epoch's model as the final model.")
    boolean restoreBest;

    @Mixin
    UiOptions ui;

    @Option(names = "--ui-keep-open", description = "With --ui: keep serving the UI after training ends, until "
            + "interrupted (Ctrl-C).")
    boolean uiKeepOpen;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the interrupted run in DIR from its last "
            + "checkpoint. Only --epochs (to extend the run), --data-dir (the same files, moved), --threads and the "
            + "--ui options may be given with it: the rest is fixed by DIR/run.json.")
    Path resume;

    @Option(names = "--workers", converter = Positive.class, defaultValue = "1", description = "Train on N "
            + "data-parallel workers with DL4J's ParallelWrapper, parameters averaged after every round (unless "
            + "--gradient-sharing); each "
            + "worker takes whole minibatches, so divide --batch-size by N to train as one device does (default: "
            + "${DEFAULT-VALUE}, one device).")
    int workers;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Train on Spark on this machine, bound to "
            + "127.0.0.1: local[N] (N executor threads in this JVM) or local-cluster[W,C,MIB] (W executor JVMs of C "
            + "cores and MIB MiB each; needs SPARK_LOCAL_IP=127.0.0.1, which ./moderncnns sets). DL4J's parameter "
            + "averaging unless --gradient-sharing; the same job as spark-submit runs on a cluster "
            + "(docs/scale-out.md).")
    String spark;

    @Option(names = "--train-files", paramLabel = "DIR", description = "With --spark: train on the minibatch files "
            + "in DIR (written by 'data export') instead of loading the training images on the driver.")
    Path trainFiles;

    @Option(names = "--gradient-sharing", description = "With --workers N or --spark local-cluster[...]: share "
            + "threshold-encoded gradients (DL4J's SHARED_GRADIENTS / SharedTrainingMaster) instead of averaging "
            + "parameters; batch-norm statistics are re-estimated after every epoch.")
    boolean gradientSharing;

    @Mixin
    ThreadsOption threads;

    @Mixin
    CheckpointOption checkpoints;

    @Spec
    CommandSpec spec;

    /** The options run.json fixes: a resumed run keeps them. */
    private static final List<String> FIXED_ON_RESUME = Stream.of(Stream.of("--model"), RecipeOptions.NAMES.stream(),
            Stream.of("--seed", "--split-seed", "--limit", "--out", "--restore-best", "--workers",
                    "--gradient-sharing", "--spark", "--train-files", "--write-recipe")).flatMap(s -> s).toList();
    /** The options a Spark run does not take: it trains the notebook's recipe with seed 42. */
    private static final List<String> NOT_ON_SPARK = Stream.of(Stream.of("--resume", "--workers", "--ui",
            "--ui-keep-open", "--ui-port", "--ui-host", "--ui-histograms"), RecipeOptions.NAMES.stream()
                    .filter(name -> !name.equals("--batch-size")), Stream.of("--seed", "--split-seed",
                            "--restore-best", "--write-recipe")).flatMap(s -> s).toList();

    @Override
    public Integer call() throws Exception {
        PrintStream stdout = CommandOutput.of(spec);
        if (spark != null) {
            refuse(NOT_ON_SPARK, "cannot be combined with --spark (the Spark job trains the notebook's recipe, "
                    + "seed 42)");
            threads.applyNow();
            return trainOnSpark();
        }
        if (trainFiles != null) {
            throw new ParameterException(spec.commandLine(), "--train-files needs --spark (docs/scale-out.md)");
        }
        if (writeRecipe != null) {
            refuse(List.of("--resume"), "cannot be combined with --write-recipe");
            recipe().write(writeRecipe);
            spec.commandLine().getOut().println("Recipe written to " + writeRecipe + "; train it with: train "
                    + "--recipe " + writeRecipe);
            spec.commandLine().getOut().flush();
            return 0;
        }
        if (uiKeepOpen && !ui.enabled) {
            throw new ParameterException(spec.commandLine(), "--ui-keep-open needs --ui");
        }
        if (gradientSharing && workers < 2) {
            throw new ParameterException(spec.commandLine(), "--gradient-sharing needs several workers: --workers N "
                    + "(N > 1) or --spark local-cluster[...] (docs/scale-out.md)");
        }
        int maxWorkers = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
        if (workers > maxWorkers) {
            throw new ParameterException(spec.commandLine(), "--workers " + workers + " is more than twice this "
                    + "machine's " + Runtime.getRuntime().availableProcessors() + " cores (at most " + maxWorkers
                    + "): each worker holds a replica of the model and takes a core");
        }
        NotebookTraining.Options options = ui.apply(checkpoints.apply(new NotebookTraining.Options(stdout, true,
                ui.address()))).withThreads(threads.requested());
        Path directory;
        TrainingResult result;
        if (resume != null) {
            refuse(FIXED_ON_RESUME, "cannot be combined with --resume: " + resume.resolve(RunSpec.FILE) + " fixes "
                    + "them; start a new run to change them");
            directory = resume;
            result = NotebookTraining.resume(resume, options, new NotebookTraining.Changes(run.epochs,
                    data.directory));
        } else {
            Recipe recipe = recipe();
            RunSpec runSpec = RunSpec.of(recipe).withLimit(run.limitOrAll())
                    .withDataDirectory(data.directory)
                    .withRestoreBest(restoreBest).withDataParallel(gradientSharing
                            ? DataParallel.gradientSharing(workers) : DataParallel.averaging(workers));
            runSpec = run.seed != null ? runSpec.withSeed(run.seed) : runSpec;
            runSpec = run.splitSeed != null ? runSpec.withSplitSeed(run.splitSeed) : runSpec;
            directory = out != null ? out : RunDirectories.fresh(recipe.model());
            stdout.println("Run directory: " + directory);
            result = NotebookTraining.start(runSpec, directory, options);
        }
        stdout.println("Best validation accuracy " + String.format(java.util.Locale.ROOT, "%.2f",
                result.history().best().orElseThrow().validationAccuracy()) + " % in epoch " + result.bestEpoch());
        stdout.println("Report: " + directory.resolve(RunReport.FILE));
        stdout.println("Plots:  " + directory.resolve(TrainingPlots.LOSS_FILE) + ", "
                + directory.resolve(TrainingPlots.ACCURACY_FILE) + ", "
                + directory.resolve(TrainingPlots.CONFUSION_FILE));
        stdout.println("Model:  " + directory.resolve(NotebookTraining.MODEL_FILE));
        if (!ui.enabled) {
            stdout.println("UI:     moderncnns ui --stats " + directory.resolve(TrainingUi.STATS_FILE));
        } else if (uiKeepOpen) {
            serveUntilInterrupted(directory.resolve(TrainingUi.STATS_FILE));
        }
        return 0;
    }

    /** {@code --ui-keep-open}: the finished run's statistics, on the same address, until Ctrl-C. */
    private void serveUntilInterrupted(Path stats) throws Exception {
        PrintStream stdout = CommandOutput.of(spec);
        TrainingUiServer server = TrainingUi.serve(stats, ui.address());
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        stdout.println("Training finished. " + TrainingUi.announce(server) + "; press Ctrl-C to stop");
        stdout.flush();
        Thread.currentThread().join();
    }

    /** The recipe the options make; impossible values are usage errors naming the option. */
    private Recipe recipe() {
        if (recipeOptions.recipe != null && spec.commandLine().getParseResult().hasMatchedOption("--model")) {
            throw new ParameterException(spec.commandLine(), "--model and --recipe cannot be combined: the recipe "
                    + "names its network");
        }
        Recipe recipe = recipeOptions.resolve(model, spec);
        try {
            return run.epochs != null ? recipe.withEpochs(run.epochs) : recipe;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--epochs: " + e.getMessage());
        }
    }

    /** A usage error naming every option in {@code names} that was given. */
    private void refuse(List<String> names, String why) {
        List<String> given = names.stream().filter(spec.commandLine().getParseResult()::hasMatchedOption).toList();
        if (!given.isEmpty()) {
            throw new ParameterException(spec.commandLine(), String.join(", ", given) + " " + why);
        }
    }

    /** {@code --spark local[N]}: the spark module's job on a local, loopback-only Spark. */
    private int trainOnSpark() throws Exception {
        PrintStream stdout = CommandOutput.of(spec);
        Recipe recipe = recipe();
        Path directory = out != null ? out : RunDirectories.fresh(model);
        if (java.nio.file.Files.exists(directory)) {
            throw new ModernCnns.UserError(directory + ": the run directory already exists; choose a new --out");
        }
        SparkTrainJob.Spec job = new SparkTrainJob.Spec(model, recipe.epochs(), recipe.batchSize(),
                run.limitOrAll(), data.directory, directory,
                gradientSharing ? GradientSharing.onThisMachine() : null,
                trainFiles == null ? null : trainFiles.toUri().toString());
        if (trainFiles != null) {
            try {
                DataSetFiles.requireFinished(trainFiles);
            } catch (java.io.IOException e) {
                throw new ParameterException(spec.commandLine(), "--train-files: " + e.getMessage());
            }
        }
        if (gradientSharing && !spark.startsWith("local-cluster")) {
            throw new ParameterException(spec.commandLine(), "--gradient-sharing needs executors in their own JVMs: "
                    + "use --spark local-cluster[2,1,2048] instead of " + spark + " (in one JVM the driver never "
                    + "receives the updates; docs/scale-out.md)");
        }
        stdout.println("Run directory: " + directory);
        try (TemporaryDirectory work = TemporaryDirectory.create("moderncnns-spark");
                JavaSparkContext context = sparkContext(work.path())) {
            TrainingHistory history = SparkTrainJob.run(context, job, stdout);
            stdout.printf(java.util.Locale.ROOT, "Best validation accuracy %.2f %% in epoch %d%n",
                    history.best().orElseThrow().validationAccuracy(), history.best().orElseThrow().epoch());
        }
        stdout.println("Plots:  " + directory.resolve(TrainingPlots.LOSS_FILE) + ", "
                + directory.resolve(TrainingPlots.ACCURACY_FILE));
        stdout.println("Model:  " + directory.resolve(NotebookTraining.MODEL_FILE));
        return 0;
    }

    private JavaSparkContext sparkContext(Path work) {
        try {
            return SparkSettings.local(spark, work);
        } catch (IllegalStateException e) { // the environment lacks what the master needs: the message says what
            throw new ModernCnns.UserError(e.getMessage());
        }
    }
}
