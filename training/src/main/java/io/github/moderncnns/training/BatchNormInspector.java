package io.github.moderncnns.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The notebook's last batch-norm cell, {@code net[1].weight.data, net[1].bias.data}: the learned scale (gamma) and
 * shift (beta) of a batch-normalization layer, with its running mean and variance (PyTorch's buffers; DL4J keeps the
 * variance as log10 of the standard deviation, converted back here).
 */
public final class BatchNormInspector {
    private BatchNormInspector() {
    }

    /**
     * One layer's values.
     *
     * @param layer the layer name
     * @param gamma the learned scale, PyTorch's {@code weight}
     * @param beta the learned shift, PyTorch's {@code bias}
     * @param runningMean the running mean
     * @param runningVariance the running variance
     */
    public record BatchNormValues(String layer, double[] gamma, double[] beta, double[] runningMean,
            double[] runningVariance) {
        /** The notebook's view: the layer, then gamma and beta with 4 decimals. */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s%n  gamma (weight): %s%n  beta (bias):    %s%n", layer,
                    format(gamma), format(beta));
        }

        private static String format(double[] values) {
            StringBuilder text = new StringBuilder("[");
            for (int i = 0; i < values.length; i++) {
                text.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", values[i]));
            }
            return text.append(']').toString();
        }
    }

    /** The names of the graph's batch-normalization layers, in graph order. */
    public static List<String> layers(ComputationGraph model) {
        List<String> names = new ArrayList<>();
        for (Layer layer : model.getLayers()) {
            if (layer instanceof BatchNormalization) {
                names.add(layer.conf().getLayer().getLayerName());
            }
        }
        return names;
    }

    /**
     * @param model the trained model
     * @param layer a batch-normalization layer's name (e.g. {@code bn1}, the notebook's {@code net[1]})
     * @return its values
     * @throws IllegalArgumentException naming the batch-norm layers if {@code layer} is not one of them
     */
    public static BatchNormValues inspect(ComputationGraph model, String layer) {
        Layer found = model.getLayer(layer);
        if (!(found instanceof BatchNormalization)) {
            throw new IllegalArgumentException("'" + layer + "' is not a batch-normalization layer; the model has "
                    + layers(model));
        }
        double[] variance;
        if (found.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR) != null) {
            variance = found.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).toDoubleVector();
        } else {
            // DL4J's default storage: log10(std); variance = 10^(2 log10 std)
            variance = Transforms.exp(found.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)
                    .castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).mul(2 * Math.log(10)), false)
                    .toDoubleVector();
        }
        return new BatchNormValues(layer,
                found.getParam(BatchNormalizationParamInitializer.GAMMA).toDoubleVector(),
                found.getParam(BatchNormalizationParamInitializer.BETA).toDoubleVector(),
                found.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).toDoubleVector(), variance);
    }
}
