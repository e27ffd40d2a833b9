package io.github.moderncnns.cli;

import io.github.moderncnns.data.FashionMnist;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data-dir} option, shared by the commands that read Fashion-MNIST. */
final class DataDirectoryOption {
    @Option(names = "--data-dir", description = "Directory with the Fashion-MNIST files (default: search "
            + "FMNIST_HOME, ~/.deeplearning4j/data/fashion-mnist, /usr/share/datasets/fashion-mnist, then download).")
    Path directory;

    /** A loader for that directory, or for the usual search. */
    FashionMnist.Loader loader() {
        return FashionMnist.loader().optDirectory(directory);
    }
}
