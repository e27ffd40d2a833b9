package io.github.moderncnns.architectures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One model's PyTorch reference results from {@code tools/make_architecture_fixtures.py}, and the same
 * deterministic parameter and input formulas, computed here in Java (float32 values, as float64 arrays).
 */
final class ArchitectureFixture {
    final JsonNode json;

    private ArchitectureFixture(JsonNode json) {
        this.json = json;
    }

    static ArchitectureFixture load(String modelId) {
        try (InputStream in = ArchitectureFixture.class.getResourceAsStream("/fixtures/torch-" + modelId + ".json")) {
            return new ArchitectureFixture(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int batch() {
        return json.get("batch").asInt();
    }

    int inputSize() {
        return json.get("input_size").asInt();
    }

    /** The formula's state_dict, tensors in PyTorch's layout. */
    Map<String, INDArray> stateDict() {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        int t = 0;
        for (JsonNode entry : json.get("parameters")) {
            long[] shape = new long[entry.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = entry.get("shape").get(i).asLong();
            }
            tensors.put(entry.get("name").asText(), formula(entry.get("kind").asText(), shape, t++));
        }
        return tensors;
    }

    /** The same values as {@code formula()} in the Python script. */
    static INDArray formula(String kind, long[] shape, int t) {
        long n = 1;
        for (long dim : shape) {
            n *= dim;
        }
        float[] values = new float[Math.toIntExact(n)];
        double weightScale = 0;
        if (kind.equals("weight")) {
            long fanIn = 1;
            for (int i = 1; i < shape.length; i++) {
                fanIn *= shape[i];
            }
            weightScale = Math.sqrt(6.0 / fanIn);
        }
        for (int k = 0; k < values.length; k++) {
            double s = uniform(k, t);
            double v = switch (kind) {
                case "weight" -> weightScale * s;
                case "bias", "bn_bias", "running_mean" -> 0.1 * s;
                case "bn_weight" -> 1.0 + 0.1 * s;
                case "running_var" -> 1.0 + 0.25 * (1.0 + s);
                default -> throw new IllegalArgumentException(kind);
            };
            values[k] = (float) v;
        }
        return Nd4j.create(values, shape, 'c').castTo(DataType.DOUBLE);
    }

    /** A value in [-1, 1) from SplitMix64 of (k + (t + 1) * golden gamma), as {@code uniform()} in Python. */
    static double uniform(long k, int t) {
        long z = k + (t + 1L) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53 * 2.0 - 1.0;
    }

    /** The input batch: 0.5 + 0.5 sin(0.1 k) over the flat NCHW array. */
    INDArray input() {
        int size = inputSize();
        float[] values = new float[batch() * size * size];
        for (int k = 0; k < values.length; k++) {
            values[k] = (float) (0.5 + 0.5 * Math.sin(0.1 * k));
        }
        return Nd4j.create(values, new long[] {batch(), 1, size, size}, 'c').castTo(DataType.DOUBLE);
    }

    /** One-hot labels (3 i + 1) mod 10. */
    INDArray labels() {
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, batch(), 10);
        for (int i = 0; i < batch(); i++) {
            labels.putScalar(i, json.get("labels").get(i).asInt(), 1f);
        }
        return labels;
    }

    double[][] logProbs(String mode) {
        JsonNode rows = json.get(mode).get("log_probs");
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new double[rows.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = rows.get(i).get(j).asDouble();
            }
        }
        return out;
    }
}
