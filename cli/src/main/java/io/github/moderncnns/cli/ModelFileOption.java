package io.github.moderncnns.cli;

import io.github.moderncnns.training.ModelFiles;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model-file} option, shared by the commands that use a trained model. */
final class ModelFileOption {
    @Option(names = "--model-file", required = true, description = "A model.zip written by train.")
    Path file;

    /** The model and its input size. */
    ModelFiles.SavedModel load() throws IOException {
        return ModelFiles.load(file);
    }
}
