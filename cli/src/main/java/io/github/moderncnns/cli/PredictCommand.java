package io.github.moderncnns.cli;

import io.github.moderncnns.data.FashionMnist;
import io.github.moderncnns.training.Predictor;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code predict}: classify image files. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify image files (PNG, JPEG, GIF, BMP; light garment on dark background, as Fashion-MNIST).")
final class PredictCommand implements Callable<Integer> {
    @Mixin
    ModelFileOption model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images;

    @Override
    public Integer call() throws Exception {
        Predictor predictor = Predictor.of(model.load());
        for (Predictor.Prediction prediction : predictor.predict(images)) {
            double[] p = prediction.probabilities();
            List<Integer> top = IntStream.range(0, p.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer c) -> p[c]).reversed()).limit(3).toList();
            StringBuilder line = new StringBuilder(prediction.toString()).append("  [");
            for (int i = 0; i < top.size(); i++) {
                line.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.3f",
                        FashionMnist.CLASS_NAMES.get(top.get(i)), p[top.get(i)]));
            }
            System.out.println(line.append(']'));
        }
        return 0;
    }
}
