package io.github.moderncnns.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.moderncnns.data.FashionMnist;
import io.github.moderncnns.training.Predictor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code predict}: classify image files. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify image files (PNG, JPEG, GIF, BMP; light garment on dark background, as Fashion-MNIST).")
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ModelFileOption model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images;

    @Option(names = "--json", description = "One JSON object per image and line, with all ten class probabilities "
            + "at full precision: {\"file\": ..., \"class\": ..., \"probabilities\": {\"T-shirt/top\": ...}}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintStream stdout = CommandOutput.of(spec);
        Predictor predictor = Predictor.of(model.load());
        for (Predictor.Prediction prediction : predictor.predict(images)) {
            if (json) {
                stdout.println(asJson(prediction));
                continue;
            }
            double[] p = prediction.probabilities();
            List<Integer> top = IntStream.range(0, p.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer c) -> p[c]).reversed()).limit(3).toList();
            StringBuilder line = new StringBuilder(prediction.toString()).append("  [");
            for (int i = 0; i < top.size(); i++) {
                line.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.3f",
                        FashionMnist.CLASS_NAMES.get(top.get(i)), p[top.get(i)]));
            }
            stdout.println(line.append(']'));
        }
        return 0;
    }

    private static String asJson(Predictor.Prediction prediction) throws JsonProcessingException {
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int c = 0; c < prediction.probabilities().length; c++) {
            probabilities.put(FashionMnist.CLASS_NAMES.get(c), prediction.probabilities()[c]);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("file", prediction.file().toString());
        line.put("class", prediction.className());
        line.put("probabilities", probabilities);
        return JSON.writeValueAsString(line);
    }
}
