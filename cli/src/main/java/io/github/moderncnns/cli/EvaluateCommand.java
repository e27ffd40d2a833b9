package io.github.moderncnns.cli;

import io.github.moderncnns.data.FashionMnist;
import io.github.moderncnns.data.FashionMnistIterator;
import io.github.moderncnns.data.IdxReader;
import io.github.moderncnns.training.EvaluationResult;
import io.github.moderncnns.training.ModelEvaluator;
import io.github.moderncnns.training.ModelFiles;
import io.github.moderncnns.training.Recipe;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code evaluate}: a saved model on the test set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Test loss and accuracy, per-class precision/recall/F1 and the confusion matrix of a model.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** For a network that is none of the notebook's (the notebook's BN-LeNet batch). */
    private static final int FALLBACK_BATCH_SIZE = 256;

    @Mixin
    ModelFileOption model;

    @Mixin
    DataDirectoryOption data;

    @Option(names = "--limit", converter = Positive.class, description = "Only the first N test images.")
    Integer limit;

    @Option(names = "--batch-size", converter = Positive.class,
            description = "Images per batch (default: the network's preset, e.g. 128 for AlexNet; 256 for a network "
                    + "of your own).")
    Integer batchSize;

    @Override
    public Integer call() throws Exception {
        PrintStream stdout = CommandOutput.of(spec);
        ModelFiles.SavedModel saved = model.load();
        int batch = batchSize != null ? batchSize
                : saved.notebookModel().map(m -> Recipe.notebook(m).batchSize()).orElse(FALLBACK_BATCH_SIZE);
        FashionMnist fashion = data.loader().load();
        FashionMnistIterator.Builder test = FashionMnistIterator.builder().setImages(fashion.test())
                .setBatchSize(batch);
        if (saved.inputSize() != IdxReader.IMAGE_SIDE) {
            test.optResize(saved.inputSize());
        }
        if (limit != null) {
            test.optLimit(limit);
        }
        try (FashionMnistIterator iterator = test.build()) {
            EvaluationResult result = ModelEvaluator.evaluate(saved.model(), iterator);
            stdout.printf(Locale.ROOT, "Test loss %.4f, Test accuracy %.2f (%d images, batch %d)%n",
                    result.loss(), result.accuracy(), iterator.size(), batch);
            stdout.println(result.evaluation().stats(false, true));
        }
        return 0;
    }
}
