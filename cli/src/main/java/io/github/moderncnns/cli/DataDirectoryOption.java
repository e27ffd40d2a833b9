package io.github.moderncnns.cli;

import io.github.moderncnns.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --data-dir} option, shared by the commands that read Fashion-MNIST. A directory that does not exist is
 * a usage error: a mistyped path must not become a new directory with a download in it.
 */
final class DataDirectoryOption {
    Path directory;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory with the Fashion-MNIST files (default: "
            + "search FMNIST_HOME, ~/.deeplearning4j/data/fashion-mnist, /usr/share/datasets/fashion-mnist, then "
            + "download). It must exist; missing files are downloaded into it.")
    void setDirectory(Path value) {
        if (Files.isRegularFile(value)) {
            throw new ParameterException(mixee.commandLine(), "--data-dir: " + value + " is a file, not a "
                    + "directory; give the directory that holds the Fashion-MNIST files");
        }
        if (!Files.isDirectory(value)) {
            throw new ParameterException(mixee.commandLine(), "--data-dir: " + value + " does not exist; fix the "
                    + "path, or create the directory to download the data into it");
        }
        directory = value;
    }

    /** A loader for that directory, or for the usual search. */
    FashionMnist.Loader loader() {
        return FashionMnist.loader().optDirectory(directory);
    }
}
