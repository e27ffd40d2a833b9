package io.github.moderncnns.cli;

import io.github.moderncnns.data.FashionMnist;
import io.github.moderncnns.data.FashionMnistIterator;
import io.github.moderncnns.data.IdxReader;
import io.github.moderncnns.training.EvaluationResult;
import io.github.moderncnns.training.ModelEvaluator;
import io.github.moderncnns.training.ModelFiles;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evaluate}: a saved model on the test set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Test loss and accuracy, per-class precision/recall/F1 and the confusion matrix of a model.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ModelFileOption model;

    @Mixin
    DataDirectoryOption data;

    @Option(names = "--limit", converter = Positive.class, description = "Only the first N test images.")
    Integer limit;

    @Option(names = "--batch-size", converter = Positive.class, defaultValue = "256",
            description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        ModelFiles.SavedModel saved = model.load();
        FashionMnist fashion = data.loader().load();
        FashionMnistIterator.Builder test = FashionMnistIterator.builder().setImages(fashion.test())
                .setBatchSize(batchSize);
        if (saved.inputSize() != IdxReader.IMAGE_SIDE) {
            test.optResize(saved.inputSize());
        }
        if (limit != null) {
            test.optLimit(limit);
        }
        try (FashionMnistIterator iterator = test.build()) {
            EvaluationResult result = ModelEvaluator.evaluate(saved.model(), iterator);
            System.out.printf(Locale.ROOT, "Test loss %.4f, Test accuracy %.2f (%d images)%n", result.loss(),
                    result.accuracy(), iterator.size());
            System.out.println(result.evaluation().stats(false, true));
        }
        return 0;
    }
}
