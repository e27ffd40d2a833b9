package io.github.moderncnns.architectures;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch weights both ways. Import: a {@code state_dict}, saved by
 * {@code numpy.savez("weights.npz", **{k: v.numpy() for k, v in net.state_dict().items()})}, sets every parameter of
 * the matching {@link Architecture}, translated as {@link TorchParameter#toDl4j} says (dense weights transposed,
 * running variances as log10 standard deviations). Every key is checked: a missing or unexpected tensor or a wrong
 * shape is an error that names it. Export: {@link #stateDict} and {@link #writeNpz} write a trained graph as a
 * {@code state_dict} that the notebook's PyTorch model loads with
 * {@code net.load_state_dict({k: torch.from_numpy(v) for k, v in numpy.load("weights.npz").items()})}.
 */
public final class TorchWeights {
    /** PyTorch's batch-norm step counter: a buffer with no DL4J counterpart, ignored. */
    private static final String BATCHES_TRACKED = "num_batches_tracked";

    private TorchWeights() {
    }

    /**
     * Reads a {@code .npz} file of named arrays.
     *
     * @param file the file
     * @return the arrays by name
     * @throws IOException if the file is missing or not a valid {@code .npz}
     */
    public static Map<String, INDArray> readNpz(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file (expected a .npz of the PyTorch state_dict)");
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                String name = entry.getName().replaceFirst("\\.npy$", "");
                byte[] npy;
                try (InputStream in = zip.getInputStream(entry)) {
                    npy = in.readAllBytes();
                }
                if (isScalar(npy)) {
                    // ND4J cannot read 0-d arrays; PyTorch's only scalar buffer is BN's step counter
                    if (name.endsWith(BATCHES_TRACKED)) {
                        continue;
                    }
                    throw new IOException(file + ": " + name + " is a scalar; expected the tensors of a state_dict");
                }
                arrays.put(name, Nd4j.createNpyFromByteArray(npy));
            }
        } catch (ZipException e) {
            throw new IOException(file + ": not a readable .npz file (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            throw new IOException(file + ": an array could not be read (" + e.getMessage() + ")", e);
        }
        return arrays;
    }

    /** Whether a .npy file holds a 0-d array: its header's shape is {@code ()}. */
    private static boolean isScalar(byte[] npy) {
        if (npy.length < 12) {
            return false;
        }
        boolean version1 = npy[6] == 1;
        int length = version1 ? (npy[8] & 0xff) | (npy[9] & 0xff) << 8
                : (npy[8] & 0xff) | (npy[9] & 0xff) << 8 | (npy[10] & 0xff) << 16 | (npy[11] & 0xff) << 24;
        int start = version1 ? 10 : 12;
        String header = new String(npy, start, Math.min(length, npy.length - start),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        return header.replace(" ", "").contains("'shape':()");
    }

    /**
     * Sets the graph's parameters from a PyTorch {@code state_dict}.
     *
     * @param graph an initialised graph of {@code architecture}
     * @param architecture the architecture the graph was made from
     * @param stateDict the PyTorch tensors by {@code state_dict} key
     * @throws IllegalArgumentException naming the keys if some are missing or unexpected, or a shape is wrong
     */
    public static void load(ComputationGraph graph, Architecture architecture, Map<String, INDArray> stateDict) {
        List<String> problems = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (TorchParameter parameter : architecture.torchParameters()) {
            INDArray source = stateDict.get(parameter.torchName());
            if (source == null) {
                problems.add("missing tensor " + parameter.torchName());
                continue;
            }
            used.add(parameter.torchName());
            INDArray target = graph.getLayer(parameter.layer()).getParam(parameter.key());
            INDArray value = parameter.toDl4j(source.castTo(target.dataType()));
            if (!Arrays.equals(value.shape(), target.shape()) && value.length() == target.length()
                    && target.rank() == 2 && target.size(0) == 1) {
                value = value.reshape(target.shape()); // DL4J keeps biases and BN vectors as [1, n]
            }
            if (!Arrays.equals(value.shape(), target.shape())) {
                problems.add(parameter.torchName() + " has shape " + Arrays.toString(source.shape()) + ", expected "
                        + Arrays.toString(parameter.form() == TorchParameter.Form.TRANSPOSED ? reversed(target.shape())
                        : target.shape()));
                continue;
            }
            target.assign(value);
        }
        for (String key : stateDict.keySet()) {
            if (!used.contains(key) && !key.endsWith(BATCHES_TRACKED)) {
                problems.add("unexpected tensor " + key);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the state_dict does not fit " + architecture.name() + ": "
                    + String.join("; ", problems));
        }
    }

    /**
     * The graph's parameters as the notebook's PyTorch model's {@code state_dict}: every tensor of
     * {@link Architecture#torchParameters()} in PyTorch's layout and order (vectors 1-d, dense weights
     * {@code [out, in]}, running variances as variances), plus each batch norm's {@code num_batches_tracked}, which
     * {@code load_state_dict} requires: DL4J's iteration count, the number of minibatches trained (it only matters to
     * PyTorch's cumulative averaging, {@code momentum=None}, which the notebook does not use).
     *
     * @param graph an initialised graph of {@code architecture}
     * @param architecture the architecture the graph was made from (see {@link Architecture#fits})
     * @return the tensors by {@code state_dict} key, in the graph's data type
     * @throws IllegalArgumentException if the graph is not that architecture
     */
    public static Map<String, INDArray> stateDict(ComputationGraph graph, Architecture architecture) {
        if (!architecture.fits(graph)) {
            throw new IllegalArgumentException("the graph is not " + architecture.name() + " at "
                    + architecture.inputType() + ": its parameters do not match that network's");
        }
        Map<String, INDArray> stateDict = new LinkedHashMap<>();
        for (TorchParameter parameter : architecture.torchParameters()) {
            INDArray value = parameter.toTorch(graph.getLayer(parameter.layer()).getParam(parameter.key()));
            if (value.rank() == 2 && value.size(0) == 1 && parameter.form() != TorchParameter.Form.TRANSPOSED) {
                value = value.reshape(value.size(1)); // DL4J keeps biases and BN vectors as [1, n]
            }
            stateDict.put(parameter.torchName(), value);
            if (parameter.torchName().endsWith(".running_var")) { // the last buffer PyTorch lists for a BN
                String module = parameter.torchName().substring(0, parameter.torchName().length()
                        - "running_var".length());
                stateDict.put(module + BATCHES_TRACKED, Nd4j.scalar((long) graph.getIterationCount()));
            }
        }
        return stateDict;
    }

    /**
     * Writes named arrays as a {@code .npz} (a zip of {@code .npy} files, as {@code numpy.savez} writes).
     *
     * @param arrays the arrays by name, FLOAT, DOUBLE or LONG
     * @param out where the zip goes (not closed)
     * @throws IOException if writing fails
     */
    public static void writeNpz(Map<String, INDArray> arrays, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, INDArray> entry : arrays.entrySet()) {
            zip.putNextEntry(new ZipEntry(entry.getKey() + ".npy"));
            zip.write(NpyEncoder.encode(entry.getValue()));
            zip.closeEntry();
        }
        zip.finish();
    }

    private static long[] reversed(long[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[shape.length - 1 - i];
        }
        return out;
    }
}
