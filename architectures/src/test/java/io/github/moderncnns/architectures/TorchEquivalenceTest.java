package io.github.moderncnns.architectures;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The proof that each DL4J network is the notebook's PyTorch network: with the same parameters (set by formula,
 * through {@link TorchWeights}) and the same input, the log-probabilities (training and inference mode), the
 * loss, every parameter's gradient norm, every parameter's norm after one SGD step and the batch-norm running
 * statistics agree with PyTorch 1.13's within 1e-4 relative. Both sides compute in float64, so that the comparison
 * tests the function rather than float32 rounding, which alone moves these gradient norms by up to 0.7 % between
 * PyTorch's own float32 and float64 runs (ReLU and max-pool decisions flip on near-ties).
 */
class TorchEquivalenceTest {
    private static final double TOLERANCE = 1e-4;
    /** The largest relative difference seen per model and quantity, printed for the docs. */
    private final Map<String, Double> worst = new HashMap<>();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lenet-bn", "resnet18", "alexnet", "vgg11-small", "vgg11"})
    void computesTheSameFunctionAsPyTorch(String modelId) {
        ArchitectureFixture fixture = ArchitectureFixture.load(modelId);
        Architecture architecture = NotebookModel.byId(modelId).builder().optDropout(0)
                .optInputSize(fixture.inputSize()).optDataType(DataType.DOUBLE).build();
        ComputationGraph graph = architecture.init();
        Map<String, INDArray> stateDict = fixture.stateDict();
        ModelSummary summary = architecture.summary();
        TorchWeights.load(graph, architecture, stateDict);
        INDArray input = fixture.input();
        INDArray labels = fixture.labels();

        compareLogProbs(modelId + " inference", graph.output(false, input)[0], fixture.logProbs("eval"));
        compareLogProbs(modelId + " training", graph.output(true, input)[0], fixture.logProbs("train"));

        JsonNode train = fixture.json.get("train");
        graph.setInputs(input);
        graph.setLabels(labels);
        graph.computeGradientAndScore();
        assertClose(modelId + " loss", graph.score(), train.get("loss").asDouble());
        Gradient gradient = graph.gradient();
        for (TorchParameter parameter : architecture.torchParameters()) {
            if (!parameter.trainable()) {
                continue;
            }
            INDArray g = gradient.getGradientFor(parameter.layer() + "_" + parameter.key());
            // DL4J's raw gradient is the sum over the minibatch; its updater divides by the batch size, as the
            // mean loss does in PyTorch
            assertClose(modelId + " gradient " + parameter.torchName(), g.norm2Number().doubleValue()
                    / fixture.batch(), train.get("grad_norms").get(parameter.torchName()).asDouble());
        }

        graph.fit(new DataSet(input, labels));
        for (TorchParameter parameter : architecture.torchParameters()) {
            INDArray value = graph.getLayer(parameter.layer()).getParam(parameter.key());
            if (parameter.trainable()) {
                assertClose(modelId + " after step " + parameter.torchName(), value.norm2Number().doubleValue(),
                        train.get("post_step_norms").get(parameter.torchName()).asDouble());
            } else {
                compareRunningStatistic(modelId, summary, stateDict, parameter, value, fixture);
            }
        }
        System.out.printf("%s: largest relative difference %s%n", modelId, worst);
    }

    /**
     * Running statistics after one step. The mean matches PyTorch's. For the variance PyTorch's running update uses
     * the unbiased batch variance (n / (n - 1)), DL4J's the biased one: the expected DL4J value is derived from
     * PyTorch's by that factor, n being the number of values per channel in the batch.
     */
    private void compareRunningStatistic(String modelId, ModelSummary summary, Map<String, INDArray> stateDict,
            TorchParameter parameter, INDArray value, ArchitectureFixture fixture) {
        JsonNode after = fixture.json.get("train").get("running_after_step").get(parameter.torchName());
        INDArray before = stateDict.get(parameter.torchName());
        long[] shape = summary.layer(parameter.layer()).shape();
        long n = fixture.batch() * (shape.length == 3 ? shape[1] * shape[2] : 1);
        double[] actual = parameter.toTorch(value).data().asDouble();
        for (int c = 0; c < actual.length; c++) {
            double torch = after.get(c).asDouble();
            double expected = torch;
            if (parameter.torchName().endsWith("running_var")) {
                double unbiased = (torch - 0.9 * before.getDouble(c)) / 0.1;
                expected = 0.9 * before.getDouble(c) + 0.1 * unbiased * (n - 1) / n;
            }
            assertClose(modelId + " running " + parameter.torchName() + "[" + c + "]", actual[c], expected);
        }
    }

    private void compareLogProbs(String what, INDArray probabilities, double[][] expected) {
        INDArray logProbs = Transforms.log(probabilities, true);
        assertThat(logProbs.shape()).containsExactly(expected.length, expected[0].length);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertClose(what + " log-probability [" + i + "," + j + "]", logProbs.getDouble(i, j),
                        expected[i][j], 1.0);
            }
        }
    }

    private void assertClose(String what, double actual, double expected) {
        assertClose(what, actual, expected, 1e-3);
    }

    /** Relative difference, with {@code floor} as the smallest denominator (log-probabilities are of order 1). */
    private void assertClose(String what, double actual, double expected, double floor) {
        double relative = Math.abs(actual - expected) / Math.max(Math.abs(expected), floor);
        String quantity = what.replaceAll(" \\S*\\[.*", "").replaceAll(" (gradient|after step) .*", " $1");
        worst.merge(quantity.substring(quantity.indexOf(' ') + 1), relative, Math::max);
        assertThat(relative).as("%s: DL4J %s, PyTorch %s", what, actual, expected).isLessThanOrEqualTo(TOLERANCE);
    }
}
