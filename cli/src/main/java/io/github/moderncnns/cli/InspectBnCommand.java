package io.github.moderncnns.cli;

import io.github.moderncnns.training.BatchNormInspector;
import java.util.List;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code inspect-bn}: the notebook's last batch-norm cell. */
@Command(name = "inspect-bn", mixinStandardHelpOptions = true,
        description = "Print the learned scale (gamma) and shift (beta) of batch-normalization layers.")
final class InspectBnCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelFileOption model;

    @Option(names = "--layer", description = "A layer, e.g. bn1 (the notebook's net[1]); default: all.")
    String layer;

    @Override
    public Integer call() throws Exception {
        ComputationGraph graph = model.load().model();
        List<String> layers = layer != null ? List.of(layer) : BatchNormInspector.layers(graph);
        if (layers.isEmpty()) {
            throw new ModernCnns.UserError(model.file + " has no batch-normalization layers");
        }
        for (String name : layers) {
            CommandOutput.of(spec).print(BatchNormInspector.inspect(graph, name));
        }
        return 0;
    }
}
