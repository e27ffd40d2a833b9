package io.github.moderncnns.training;

import io.github.moderncnns.architectures.NotebookModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Trained models on disk: DL4J's model zip (configuration, parameters, updater state) plus a small JSON entry,
 * {@code moderncnns.json}, with the input image side, which DL4J's format does not keep and prediction needs.
 * Written atomically; read only after {@link ModelZip}'s checks, so a model file from someone else cannot make the
 * JVM deserialize Java objects. Model files saved before the JSON entry existed (their input size was a
 * Java-serialized Integer) still load: that entry is read from its bytes, not deserialized.
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * A model and the side of its square input images.
     *
     * @param model the model
     * @param inputSize the input side in pixels
     */
    public record SavedModel(ComputationGraph model, int inputSize, NotebookModel network) {
        /**
         * @return which of the notebook's networks the model is: as recorded in the file, or for files that do not
         *         say (saved before the record existed) recognised by its parameters; empty for a network of the
         *         user's own
         */
        public Optional<NotebookModel> notebookModel() {
            return Optional.ofNullable(network).or(() -> NotebookModel.of(model, inputSize));
        }
    }

    /**
     * What this project stores next to DL4J's entries.
     *
     * @param format the metadata format, 1
     * @param inputSize the input side in pixels
     * @param model the network's id ({@link NotebookModel#id()}), or {@code null} for a network of the user's own
     *              (and in files saved before this field existed)
     */
    record Metadata(int format, int inputSize, String model) {
    }

    /**
     * Saves a network of the user's own.
     *
     * @param model the model
     * @param inputSize its input side in pixels
     * @param file the zip to (re)place
     * @throws IOException if writing fails; the file is then unchanged
     */
    public static void save(ComputationGraph model, int inputSize, Path file) throws IOException {
        save(model, inputSize, null, file);
    }

    /**
     * Saves one of the notebook's networks, recording which (export and evaluate use it).
     *
     * @param model the model
     * @param inputSize its input side in pixels
     * @param network which notebook network it is, or {@code null} for one of the user's own
     * @param file the zip to (re)place
     * @throws IOException if writing fails; the file is then unchanged
     */
    public static void save(ComputationGraph model, int inputSize, NotebookModel network, Path file)
            throws IOException {
        ModelZip.write(model, file, ModelZip.METADATA, new Metadata(1, inputSize,
                network == null ? null : network.id()));
    }

    /**
     * @param file a model zip written by {@link #save}
     * @return the model with its updater state, and its input size
     * @throws IOException naming the file if it is missing, not a model saved here, or holds entries or classes
     *                     this project does not read
     */
    public static SavedModel load(Path file) throws IOException {
        ModelZip.check(file);
        Optional<Metadata> metadata = metadata(file);
        Optional<Integer> inputSize = metadata.map(Metadata::inputSize);
        if (inputSize.isEmpty()) {
            inputSize = ModelZip.legacyInputSize(file);
        }
        if (inputSize.isEmpty()) {
            throw new IOException(file + ": a DL4J model without its input size; it was not saved by modern-cnns "
                    + "(save it with ModelFiles.save)");
        }
        if (inputSize.get() < 1 || inputSize.get() > 4_096) {
            throw new IOException(file + ": input size " + inputSize.get() + " is not a plausible image side "
                    + "(1-4096 pixels)");
        }
        NotebookModel network = null;
        String id = metadata.map(Metadata::model).orElse(null);
        if (id != null) {
            try {
                network = NotebookModel.byId(id);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + ModelZip.METADATA + " names the network '" + id + "', which this "
                        + "version does not know", e);
            }
        }
        return new SavedModel(ModelZip.readChecked(file), inputSize.get(), network);
    }

    private static Optional<Metadata> metadata(Path file) throws IOException {
        return ModelZip.readEntry(file, ModelZip.METADATA, Metadata.class);
    }
}
