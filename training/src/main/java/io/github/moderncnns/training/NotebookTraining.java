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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The notebook's whole training cell for one network, in a run directory: load the data, build the network, train
 * with the preset, evaluate on the test set, and leave behind {@code run.json}, {@code metrics.csv/json},
 * {@code loss.png}, {@code accuracy.png}, {@code confusion-matrix.png}, {@code report.md}, {@code model.zip},
 * {@code ui-stats.dl4j}, the checkpoints and, last, {@code result.json}. An interrupted run continues with {@link #resume}.
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
     */
    public record Options(PrintStream out, boolean progress, TrainingUi.Address ui) {
        /** Quiet defaults for programs and tests: standard output, no progress, no live UI. */
        public static Options quiet() {
            return new Options(System.out, false, null);
        }
    }

    /**
     * Starts a new run in a directory that must not exist yet (so two runs never share one).
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
        Files.createDirectories(runDirectory.toAbsolutePath().getParent());
        try {
            Files.createDirectory(runDirectory);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(runDirectory.toString(), null,
                    "the run directory already exists; choose a new one, or resume the run in it");
        }
        spec.write(runDirectory);
        return run(spec, runDirectory, options, null, TrainingHistory.empty());
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
        RunSpec spec = RunSpec.read(runDirectory);
        Optional<Checkpoints.Saved> latest = new Checkpoints(runDirectory, spec.keepCheckpoints()).latest();
        if (latest.isEmpty()) {
            options.out().println("No checkpoint in " + runDirectory + ": starting from the first epoch.");
            return run(spec, runDirectory, options, null, TrainingHistory.empty());
        }
        int epoch = latest.get().epoch();
        TrainingHistory saved = Files.isRegularFile(runDirectory.resolve(TrainingHistory.JSON_FILE))
                ? TrainingHistory.read(runDirectory) : TrainingHistory.empty();
        if (saved.epochs().size() < epoch) {
            throw new IOException(runDirectory + ": the checkpoint is of epoch " + epoch + " but "
                    + TrainingHistory.JSON_FILE + " has " + saved.epochs().size() + " epochs");
        }
        TrainingHistory history = new TrainingHistory(saved.epochs().subList(0, epoch));
        options.out().println("Resuming " + runDirectory + " after epoch " + epoch + " of " + spec.preset().epochs());
        return run(spec, runDirectory, options, latest.get().load(), history);
    }

    private static TrainingResult run(RunSpec spec, Path runDirectory, Options options, ComputationGraph resumed,
            TrainingHistory history) throws IOException, DatasetException {
        TrainingPreset preset = spec.preset();
        FashionMnist data = FashionMnist.loader()
                .optDirectory(spec.dataDirectory() == null ? null : Path.of(spec.dataDirectory())).load();
        Architecture architecture = spec.model().builder().optSeed(spec.seed()).optInputSize(preset.resize())
                .optUpdater(new Sgd(preset.learningRate())).build();
        ComputationGraph model = resumed != null ? resumed : architecture.init();
        PeakMemory.reset();
        TrainingUiServer server = null;
        try (FashionMnistIterators iterators = FashionMnistIterators.create(data, preset.batchSize(), preset.resize(),
                spec.splitSeed(), spec.seed(), spec.limit())) {
            // at least 4 UI records per epoch, so that short runs show something too
            int frequency = Math.min(spec.uiFrequency(), Math.max(1, iterators.train().batchesPerEpoch() / 4));
            TrainingUi.Recording recording = TrainingUi.record(runDirectory, frequency);
            List<org.deeplearning4j.optimize.api.TrainingListener> listeners = new ArrayList<>();
            listeners.add(recording.listener());
            if (options.progress()) {
                listeners.add(ProgressListener.forConsole(iterators.train().batchesPerEpoch(), preset.batchSize()));
            }
            if (options.ui() != null) {
                server = TrainingUi.serve(recording.storage(), options.ui());
                options.out().println(TrainingUi.announce(server));
            }
            options.out().println("Training " + architecture.name() + " on " + iterators.train().size()
                    + " images (validation " + iterators.validation().size() + ", test " + iterators.test().size()
                    + "), batch " + preset.batchSize() + ", lr " + preset.learningRate() + ", " + preset.epochs()
                    + " epochs, input " + preset.resize() + "x" + preset.resize()
                    + (spec.dataParallel().isParallel() ? ", " + spec.dataParallel().describe() : ""));
            Trainer.Builder trainer = Trainer.builder().setModel(model).setTrainData(iterators.train())
                    .setValidationData(iterators.validation()).optTestData(iterators.test())
                    .setEpochs(preset.epochs()).optRunDirectory(runDirectory)
                    .optKeepCheckpoints(spec.keepCheckpoints()).optRestoreBest(spec.restoreBest())
                    .optHistory(history).optOut(options.out()).optDataParallel(spec.dataParallel());
            listeners.forEach(trainer::optListener);
            TrainingResult result = trainer.build().train();
            finish(spec, runDirectory, architecture, data, iterators, result);
            return result;
        } finally {
            if (server != null) {
                server.stop();
                options.out().println("Training UI stopped. Re-open this run with: ui --stats "
                        + runDirectory.resolve(TrainingUi.STATS_FILE));
            }
        }
    }

    private static void finish(RunSpec spec, Path runDirectory, Architecture architecture, FashionMnist data,
            FashionMnistIterators iterators, TrainingResult result) throws IOException {
        ModelFiles.save(result.model(), spec.preset().resize(), runDirectory.resolve(MODEL_FILE));
        TrainingPlots.writeCurves(result.history(), runDirectory);
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
                result, numbers, batchNorm));
        numbers.write(runDirectory); // last: a run directory with result.json is a finished run
    }
}
