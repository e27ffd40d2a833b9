package io.github.moderncnns.cli;

import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.architectures.Vgg;
import io.github.moderncnns.training.BatchNormInspector;
import io.github.moderncnns.training.NotebookTraining;
import io.github.moderncnns.training.RunSpec;
import io.github.moderncnns.training.TrainingPreset;
import io.github.moderncnns.training.TrainingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lab}: the whole notebook in its order (AlexNet, VGG, BN-LeNet, ResNet-18): for each network the shape
 * printout, training with its preset, test accuracy and plots; the batch-norm cell for BN-LeNet; then one table.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Run the whole notebook: every network's shapes, training, test accuracy and plots, then a "
                + "summary table. Use --limit and --epochs for a quick tour.")
final class LabCommand implements Callable<Integer> {
    /** The notebook's order; it prints VGG-11's shapes and trains the small VGG. */
    private static final List<NotebookModel> TRAINED = List.of(NotebookModel.ALEXNET, NotebookModel.VGG11_SMALL,
            NotebookModel.LENET_BN, NotebookModel.RESNET18);

    @Option(names = "--epochs", converter = Positive.class, description = "Epochs for every network (default: "
            + "each preset's).")
    Integer epochs;

    @Option(names = "--limit", converter = Positive.class, description = "Use only the first N images of each "
            + "subset.")
    Integer limit;

    @Mixin
    DataDirectoryOption data;

    @Option(names = "--out", description = "Directory for the runs (default: runs/<date>-<time>-lab).")
    Path out;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        Path root = out != null ? out : RunDirectories.fresh(Path.of("runs"), "lab");
        List<TrainingPreset> presets = new ArrayList<>();
        for (NotebookModel model : TRAINED) {
            TrainingPreset preset = TrainingPreset.of(model);
            presets.add(epochs != null ? preset.withEpochs(epochs) : preset);
        }
        System.out.printf(Locale.ROOT, "Estimated time on this machine: %.0f minutes (from one timed training "
                + "step per network)%n%n", estimateSeconds(presets) / 60);

        List<String> rows = new ArrayList<>();
        for (TrainingPreset preset : presets) {
            NotebookModel model = preset.model();
            if (model == NotebookModel.VGG11_SMALL) {
                System.out.print(Vgg.builder().setConvArch(Vgg.VGG_11).build().summary());
                System.out.println("VGG-11 is heavy: as the notebook, train the version with a quarter of the "
                        + "channels.");
            }
            System.out.print(model.builder().optInputSize(preset.resize()).build().summary());
            RunSpec spec = RunSpec.notebook(model).withPreset(preset).withLimit(limit == null ? -1 : limit)
                    .withDataDirectory(data.directory);
            Path run = root.resolve(model.id());
            TrainingResult result = NotebookTraining.start(spec, run, new NotebookTraining.Options(System.out, true,
                    null));
            if (model == NotebookModel.LENET_BN) {
                System.out.println("The first batch-norm layer's learned scale and shift (net[1].weight, .bias):");
                System.out.print(BatchNormInspector.inspect(result.model(), "bn1"));
            }
            System.out.println("Plots and report in " + run + System.lineSeparator());
            rows.add(String.format(Locale.ROOT, "| %-12s | %6d | %8.2f | %8.2f (epoch %d) | %8.2f |", model.id(),
                    preset.epochs(), result.lastEpochTest().orElseThrow().accuracy(),
                    result.history().best().orElseThrow().validationAccuracy(), result.bestEpoch(),
                    result.bestEpochTest().orElseThrow().accuracy()));
        }
        System.out.println("| model        | epochs | test acc | best validation acc | test acc at best |");
        System.out.println("|--------------|-------:|---------:|--------------------:|-----------------:|");
        rows.forEach(System.out::println);
        System.out.println();
        System.out.println("The notebook records no outputs for its training cells. Its BN-LeNet cell, run three "
                + "times in PyTorch, ended at 85.5, 46.3 and 87.5 % test accuracy (best validation 86.2, 87.5, "
                + "87.7 %).");
        return 0;
    }

    /** One warm-up and one timed training step per network, scaled to the epochs (validation and test ~ +30 %). */
    private double estimateSeconds(List<TrainingPreset> presets) {
        double total = 0;
        for (TrainingPreset preset : presets) {
            int batch = preset.batchSize();
            int images = limit == null ? 50_000 : Math.min(limit, 50_000);
            int side = preset.resize();
            ComputationGraph graph = preset.model().builder().optInputSize(side)
                    .optUpdater(new Sgd(preset.learningRate())).build().init();
            int probe = Math.min(batch, 16);
            DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, probe, 1, side, side),
                    Nd4j.zeros(DataType.FLOAT, probe, 10).putScalar(0, 0, 1f));
            graph.fit(data);
            long start = System.nanoTime();
            graph.fit(data);
            double perImage = (System.nanoTime() - start) / 1e9 / probe;
            total += perImage * images * preset.epochs() * 1.3;
        }
        return total;
    }
}
