package io.github.moderncnns.cli;

import io.github.moderncnns.training.BatchNormInspector;
import io.github.moderncnns.training.ModelFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code inspect-bn}: the notebook's last batch-norm cell. */
@Command(name = "inspect-bn", mixinStandardHelpOptions = true,
        description = "Print the learned scale (gamma) and shift (beta) of batch-normalization layers.")
final class InspectBnCommand implements Callable<Integer> {
    @Option(names = "--model-file", required = true, description = "A model.zip written by train.")
    Path modelFile;

    @Option(names = "--layer", description = "A layer, e.g. bn1 (the notebook's net[1]); default: all.")
    String layer;

    @Override
    public Integer call() throws Exception {
        ComputationGraph model = ModelFiles.load(modelFile).model();
        List<String> layers = layer != null ? List.of(layer) : BatchNormInspector.layers(model);
        if (layers.isEmpty()) {
            throw new ModernCnns.UserError(modelFile + " has no batch-normalization layers");
        }
        for (String name : layers) {
            System.out.print(BatchNormInspector.inspect(model, name));
        }
        return 0;
    }
}
