package io.github.moderncnns.cli;

import io.github.moderncnns.architectures.CnnBuilder;
import io.github.moderncnns.architectures.NotebookModel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code summary}: the notebook's layer-by-layer shape printout, with parameter counts. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print each layer's output shape and parameters, as the notebook's shape loop.")
final class SummaryCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, converter = ModelOption.class,
            completionCandidates = ModelOption.class, description = "One of: ${COMPLETION-CANDIDATES}.")
    NotebookModel model;

    @Option(names = "--input-size", converter = Positive.class,
            description = "Input side in pixels (default: the notebook's, 224, 96 or 28).")
    Integer inputSize;

    @Override
    public Integer call() {
        CnnBuilder<?> builder = model.builder();
        if (inputSize != null) {
            builder.optInputSize(inputSize);
        }
        System.out.print(builder.build().summary());
        return 0;
    }
}
