package io.github.moderncnns.training;

import io.github.moderncnns.architectures.LayerHelpers;
import io.github.moderncnns.data.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Trained models on disk: DL4J's model zip (configuration, parameters, updater state) plus the input image side,
 * which DL4J's format does not keep and prediction needs. Written atomically.
 */
public final class ModelFiles {
    private static final String INPUT_SIZE = "moderncnns-input-size";

    private ModelFiles() {
    }

    /**
     * A model and the side of its square input images.
     *
     * @param model the model
     * @param inputSize the input side in pixels
     */
    public record SavedModel(ComputationGraph model, int inputSize) {
    }

    /**
     * @param model the model
     * @param inputSize its input side in pixels
     * @param file the zip to (re)place
     * @throws IOException if writing fails; the file is then unchanged
     */
    public static void save(ComputationGraph model, int inputSize, Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = AtomicFiles.createTemporary(directory, file);
        try {
            ModelSerializer.writeModel(model, temporary.toFile(), true);
            ModelSerializer.addObjectToFile(temporary.toFile(), INPUT_SIZE, inputSize);
            AtomicFiles.moveIntoPlace(temporary, file);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * @param file a model zip written by {@link #save}
     * @return the model with its updater state, and its input size
     * @throws IOException naming the file if it is missing or not a model saved here
     */
    public static SavedModel load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such model file");
        }
        ComputationGraph model;
        LayerHelpers.enable(); // helpers are chosen when the layers are created
        try {
            model = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not a DL4J ComputationGraph model file (" + e.getMessage() + ")", e);
        }
        Integer inputSize = ModelSerializer.listObjectsInFile(file.toFile()).contains(INPUT_SIZE)
                ? ModelSerializer.<Integer>getObjectFromFile(file.toFile(), INPUT_SIZE) : null;
        if (inputSize == null) {
            throw new IOException(file + ": a DL4J model without its input size; it was not saved by modern-cnns "
                    + "(save it with ModelFiles.save)");
        }
        return new SavedModel(model, inputSize);
    }
}
