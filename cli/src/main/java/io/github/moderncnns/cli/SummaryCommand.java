package io.github.moderncnns.cli;

import io.github.moderncnns.architectures.CnnBuilder;
import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.architectures.NotebookShapes;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code summary}: the notebook's layer-by-layer shape printout in its own terms (PyTorch modules, at the size the
 * notebook prints), then DL4J's layer table with parameter counts (at the training input size).
 */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print each layer's output shape as the notebook's shape loop does (PyTorch's module names, at "
                + "224x224, or 28x28 for lenet-bn), then DL4J's layers with shapes and parameters at the training "
                + "input size.")
final class SummaryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, converter = ModelOption.class,
            completionCandidates = ModelOption.class, description = "One of: ${COMPLETION-CANDIDATES}.")
    NotebookModel model;

    @Option(names = "--input-size", converter = Positive.class,
            description = "Input side in pixels for both tables (default: the notebook's, 224 for its printout; "
                    + "224, 96 or 28 for DL4J's table).")
    Integer inputSize;

    @Override
    public Integer call() {
        PrintStream stdout = CommandOutput.of(spec);
        CnnBuilder<?> builder = model.builder();
        if (inputSize != null) {
            builder.optInputSize(inputSize);
        }
        stdout.print(inputSize == null ? NotebookShapes.of(model) : NotebookShapes.of(builder.build()));
        stdout.println();
        stdout.println("DL4J's layers (activations fused into their layers, flattening in preprocessors):");
        stdout.print(builder.build().summary());
        return 0;
    }
}
