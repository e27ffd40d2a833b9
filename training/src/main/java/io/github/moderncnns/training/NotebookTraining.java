package io.github.moderncnns.training;

import io.github.moderncnns.architectures.Architecture;
import io.github.moderncnns.data.DatasetException;
import io.github.moderncnns.data.FashionMnist;
import io.github.moderncnns.data.FashionMnistIterators;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The notebook's whole training cell for one network, in a run directory: load the data, build the network, train
 * with the preset, evaluate on the test set, and leave behind {@code run.json}, {@code metrics.csv/json},
 * {@code loss.png}, {@code accuracy.png}, {@code confusion-matrix.png}, {@code report.md}, {@code model.zip},
 * {@code ui-stats.dl4j}, the checkpoints and, last, {@code result.json}. An interrupted run continues with
 * {@link #resume}.
 */
public final class NotebookTraining {
    /** The final model's file name. */
    public static final String MODEL_FILE = "model.zip";

    private NotebookTraining() {
    }

    /**
     * How a run talks to the user.
     *
     * @param out where the notebook's lines go
     * @param progress whether to show progress (a bar on a terminal, lines otherwise)
     * @param ui serve the DL4J training UI live there, or {@code null} for no live UI
     * @param checkpointInterval the time between mid-epoch checkpoints ({@code Duration.ZERO}: none)
     * @param uiServer a running UI server to show the run in instead of starting one (a lab's, which shows all its
     *                 networks): the run attaches its statistics and detaches them at the end, and does not stop it;
     *                 or {@code null}
     * @param uiHistograms whether the UI statistics include the model tab's histograms (they cost time, see
     *                     {@link TrainingUi})
     * @param threads the threads to train on, or {@code null} to let {@link ThreadCount#forTraining} choose by the
     *                network's size
     */
    public record Options(PrintStream out, boolean progress, TrainingUi.Address ui, Duration checkpointInterval,
            TrainingUiServer uiServer, boolean uiHistograms, Integer threads) {
        /**
         * With mid-epoch checkpoints every {@link Trainer#DEFAULT_CHECKPOINT_INTERVAL}.
         *
         * @param out where the notebook's lines go
         * @param progress whether to show progress (a bar on a terminal, lines otherwise)
         * @param ui serve the DL4J training UI live there, or {@code null} for no live UI
         */
        public Options(PrintStream out, boolean progress, TrainingUi.Address ui) {
            this(out, progress, ui, Trainer.DEFAULT_CHECKPOINT_INTERVAL, null, false, null);
        }

        /** Quiet defaults for programs and tests: standard output, no progress, no live UI. */
        public static Options quiet() {
            return new Options(System.out, false, null);
        }

        /**
         * @param interval the time between mid-epoch checkpoints ({@code Duration.ZERO}: none)
         * @return these options with that interval
         */
        public Options withCheckpointInterval(Duration interval) {
            return new Options(out, progress, ui, interval, uiServer, uiHistograms, threads);
        }

        /**
         * @param server a running UI server the run shows itself in (and leaves running)
         * @return these options with that server instead of an address to start one at
         */
        public Options withUiServer(TrainingUiServer server) {
            return new Options(out, progress, null, checkpointInterval, server, uiHistograms, threads);
        }

        /**
         * @param histograms whether the UI statistics include the model tab's histograms
         * @return these options with that choice
         */
        public Options withUiHistograms(boolean histograms) {
            return new Options(out, progress, ui, checkpointInterval, uiServer, histograms, threads);
        }

        /**
         * @param count the threads to train on, or {@code null} to choose by the network's size
         * @return these options with that count
         */
        public Options withThreads(Integer count) {
            return new Options(out, progress, ui, checkpointInterval, uiServer, uiHistograms, count);
        }
    }

    /**
     * What may change when a run is resumed; everything else is fixed by its run.json.
     *
     * @param epochs the run's new total of epochs (to extend it), or {@code null} to keep it
     * @param dataDirectory where the data are now (they must be the same files), or {@code null} to keep it
     */
    public record Changes(Integer epochs, Path dataDirectory) {
        /** @return no change */
        public static Changes none() {
            return new Changes(null, null);
        }
    }

    /**
     * Starts a new run in a directory that must not exist yet (so two runs never share one). What can be checked is
     * checked before the directory is created (the network's sizes, the data), and a start that fails before its
     * first checkpoint removes the directory again, so that the same directory can be used for the next try.
     *
     * @param spec what to train
     * @param runDirectory the new run directory
     * @param options output settings
     * @return the result
     * @throws IOException if the directory exists or writing fails
     * @throws DatasetException if the data cannot be loaded
     */
    public static TrainingResult start(RunSpec spec, Path runDirectory, Options options)
            throws IOException, DatasetException {
        if (Files.exists(runDirectory)) {
            throw alreadyExists(runDirectory);
        }
        Architecture architecture = architecture(spec); // an impossible input size fails here
        FashionMnist data = load(spec);                 // missing data too
        Files.createDirectories(runDirectory.toAbsolutePath().getParent());
        try {
            Files.createDirectory(runDirectory);
        } catch (FileAlreadyExistsException e) { // created since the check above
            throw alreadyExists(runDirectory);
        }
        try {
            spec.write(runDirectory);
            return run(spec, runDirectory, options, architecture, data, ResumePoint.fresh());
        } catch (IOException | DatasetException | RuntimeException | Error e) {
            if (new Checkpoints(runDirectory, spec.keepCheckpoints()).latest().isEmpty()) {
                TemporaryDirectory.deleteRecursively(runDirectory); // nothing worth keeping: leave no trace
            }
            throw e;
        }
    }

    /**
     * Continues an interrupted run from its last checkpoint: same data order, the history appended to.
     *
     * @param runDirectory the run's directory
     * @param options output settings
     * @return the result
     * @throws IOException if the directory is not a run directory or cannot be read
     * @throws DatasetException if the data cannot be loaded
     */
    public static TrainingResult resume(Path runDirectory, Options options) throws IOException, DatasetException {
        return resume(runDirectory, options, Changes.none());
    }

    /**
     * Continues an interrupted run from its newest readable checkpoint, which must hold the network run.json
     * describes, on data with the same content as before; {@code changes} (more epochs, the data's new directory)
     * are recorded in run.json.
     *
     * @param runDirectory the run's directory
     * @param options output settings
     * @param changes what changes
     * @return the result
     * @throws IOException if the directory is not a run directory, a change is impossible, or the checkpoints or data
     *                     are not the run's
     * @throws DatasetException if the data cannot be loaded
     */
    public static TrainingResult resume(Path runDirectory, Options options, Changes changes)
            throws IOException, DatasetException {
        RunSpec recorded = RunSpec.read(runDirectory);
        RunSpec spec = recorded;
        if (changes.epochs() != null && changes.epochs() != recorded.recipe().epochs()) {
            if (recorded.recipe().schedule().shape() != Schedule.Shape.CONSTANT) {
                throw new IllegalArgumentException("--epochs cannot change a run whose learning rate follows a "
                        + recorded.recipe().schedule() + " schedule over its " + recorded.recipe().epochs()
                        + " epochs (the schedule is fixed in its checkpoints); start a new run instead");
            }
            spec = spec.withRecipe(spec.recipe().withEpochs(changes.epochs()));
        }
        if (changes.dataDirectory() != null) {
            spec = spec.withDataDirectory(changes.dataDirectory());
        }
        Architecture architecture = architecture(spec);
        FashionMnist data = load(spec);
        ResumePoint point = ResumePoint.find(runDirectory, spec, architecture, options.out());
        int trained = point.history().epochs().size();
        if (spec.recipe().epochs() < trained) {
            throw new IllegalArgumentException("--epochs " + spec.recipe().epochs() + " is fewer than the " + trained
                    + " epochs " + runDirectory + " has trained already");
        }
        if (!spec.equals(recorded)) {
            spec.write(runDirectory);
            options.out().println("Recorded in " + runDirectory.resolve(RunSpec.FILE) + ": "
                    + (changes.epochs() == null ? "" : recorded.recipe().epochs() + " -> " + spec.recipe().epochs()
                            + " epochs ")
                    + (changes.dataDirectory() == null ? "" : "data directory " + changes.dataDirectory()));
        }
        if (point.interrupted() != null) {
            options.out().println("Resuming " + runDirectory + " in epoch " + point.interrupted().epoch() + " of "
                    + spec.recipe().epochs() + " after minibatch " + point.interrupted().batches()
                    + " (a mid-epoch checkpoint)");
        } else if (point.model() != null) {
            options.out().println("Resuming " + runDirectory + " after epoch " + trained + " of "
                    + spec.recipe().epochs());
        }
        return run(spec, runDirectory, options, architecture, data, point);
    }

    private static FileAlreadyExistsException alreadyExists(Path runDirectory) {
        return new FileAlreadyExistsException(runDirectory.toString(), null,
                "the run directory already exists; choose a new one, or resume the run in it");
    }

    private static Architecture architecture(RunSpec spec) {
        return spec.architecture();
    }

    private static FashionMnist load(RunSpec spec) throws DatasetException {
        return FashionMnist.loader().optDirectory(spec.dataDirectory() == null ? null : Path.of(spec.dataDirectory()))
                .load();
    }

    private static TrainingResult run(RunSpec spec, Path runDirectory, Options options, Architecture architecture,
            FashionMnist data, ResumePoint point) throws IOException, DatasetException {
        Recipe recipe = spec.recipe();
        ThreadCount threads = ThreadCount.forTraining(options.threads(), architecture.summary(),
                spec.dataParallel().isParallel());
        threads.apply();
        ComputationGraph model = point.model() != null ? point.model() : architecture.init();
        TrainingHistory history = point.history();
        PeakMemory.reset();
        TrainingUiServer server = null;
        TrainingUi.Recording recording = null;
        try (FashionMnistIterators iterators = FashionMnistIterators.create(data, recipe.batchSize(), recipe.resize(),
                spec.splitSeed(), spec.seed(), spec.limit(), recipe.augmentation())) {
            if (recipe.labelSmoothing() > 0) {
                iterators.train().setPreProcessor(new LabelSmoothing(recipe.labelSmoothing()));
            }
            DataIdentity.of(data.provenance(), iterators.split()).recordOrVerify(runDirectory,
                    data.provenance().directory());
            // at least 4 UI records per epoch, so that short runs show something too
            int frequency = Math.min(spec.uiFrequency(), Math.max(1, iterators.train().batchesPerEpoch() / 4));
            recording = TrainingUi.record(runDirectory, frequency, options.uiHistograms());
            List<org.deeplearning4j.optimize.api.TrainingListener> listeners = new ArrayList<>();
            listeners.add(recording.listener());
            if (options.progress()) {
                listeners.add(ProgressListener.forConsole(iterators.train().batchesPerEpoch(), recipe.batchSize())
                        .startingAfter(history.epochs().size(),
                                point.interrupted() == null ? 0 : point.interrupted().batches()));
            }
            if (options.uiServer() != null) {
                options.uiServer().attach(recording.storage());
            } else if (options.ui() != null) {
                server = TrainingUi.serve(recording.storage(), options.ui());
                options.out().println(TrainingUi.announce(server));
            }
            options.out().println("Training " + architecture.name() + " on " + iterators.train().size()
                    + " images (validation " + iterators.validation().size() + ", test " + iterators.test().size()
                    + "), batch " + recipe.batchSize() + ", " + (recipe.notebookSettings() ? "lr "
                            + recipe.optimizer().learningRate() : recipe.optimizer() + ", schedule " + recipe.schedule()
                            + ", augmentation " + recipe.augmentation() + ", label smoothing " + recipe.labelSmoothing())
                    + ", " + recipe.epochs() + " epochs, input " + recipe.resize() + "x" + recipe.resize()
                    + (spec.dataParallel().isParallel() ? ", " + spec.dataParallel().describe() : "")
                    + ", " + threads.threads() + (threads.threads() == 1 ? " thread" : " threads"));
            Trainer.Builder trainer = Trainer.builder().setModel(model).setTrainData(iterators.train())
                    .setValidationData(iterators.validation()).optTestData(iterators.test())
                    .setEpochs(recipe.epochs()).optRunDirectory(runDirectory)
                    .optKeepCheckpoints(spec.keepCheckpoints()).optRestoreBest(spec.restoreBest())
                    .optHistory(history).optOut(options.out()).optDataParallel(spec.dataParallel())
                    .optCheckpointInterval(options.checkpointInterval())
                    .optEarlyStopping(new EarlyStopping(recipe.earlyStopping()));
            if (point.interrupted() != null) {
                trainer.optInterruptedEpoch(point.interrupted());
            }
            listeners.forEach(trainer::optListener);
            TrainingResult result = trainer.build().train();
            finish(spec, runDirectory, architecture, data, iterators, result, threads);
            return result;
        } finally {
            if (server != null) {
                server.stop();
                options.out().println("Training UI stopped. Re-open this run with: ui --stats "
                        + runDirectory.resolve(TrainingUi.STATS_FILE));
            }
            if (recording != null) {
                if (options.uiServer() != null) {
                    options.uiServer().detach(recording.storage());
                }
                recording.close(); // releases the file for ui --stats, in this JVM too
            }
        }
    }

    private static void finish(RunSpec spec, Path runDirectory, Architecture architecture, FashionMnist data,
            FashionMnistIterators iterators, TrainingResult result, ThreadCount threads) throws IOException {
        ModelFiles.save(result.model(), spec.recipe().resize(), spec.model(), runDirectory.resolve(MODEL_FILE));
        TrainingPlots.writeCurves(result.history(), runDirectory, result.earlyStop());
        Optional<EvaluationResult> shown = spec.restoreBest() ? result.bestEpochTest() : result.lastEpochTest();
        if (shown.isPresent()) {
            TrainingPlots.writeConfusionMatrix(shown.get().evaluation(), FashionMnist.CLASS_NAMES, runDirectory);
        }
        List<BatchNormInspector.BatchNormValues> batchNorm = new ArrayList<>();
        List<String> layers = BatchNormInspector.layers(result.model());
        if (!layers.isEmpty()) {
            batchNorm.add(BatchNormInspector.inspect(result.model(), layers.get(0)));
        }
        RunResult numbers = RunResult.of(spec, result, iterators.train().size(), PeakMemory.bytes().orElse(-1));
        RunReport.write(runDirectory, new RunReport.Facts(spec, architecture.name(),
                architecture.summary().trainableParameters(), data.provenance(), iterators.split().fingerprint(),
                result, numbers, batchNorm, threads));
        numbers.write(runDirectory); // last: a run directory with result.json is a finished run
    }
}
