package io.github.moderncnns.cli;

import io.github.moderncnns.data.DatasetProvenance;
import io.github.moderncnns.data.FashionMnist;
import io.github.moderncnns.data.FashionMnistIterators;
import io.github.moderncnns.data.TrainValidationSplit;
import io.github.moderncnns.spark.DataSetFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code data fetch|verify|split|export}. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Locate, download, verify, split and export the data.",
        subcommands = {DataCommand.Fetch.class, DataCommand.Verify.class, DataCommand.Split.class,
            DataCommand.Export.class})
final class DataCommand {
    private static void describe(FashionMnist data, PrintStream stdout) {
        DatasetProvenance provenance = data.provenance();
        stdout.println("Fashion-MNIST in " + provenance.directory() + " (" + provenance.origin() + "):");
        for (DatasetProvenance.FileRecord file : provenance.files()) {
            stdout.printf("  %-28s %6d %s  sha256 %s%s%n", file.path().getFileName(), file.count(),
                    file.file().holdsImages() ? "images" : "labels", file.sha256(),
                    file.sha256().equals(file.file().sha256()) ? "  OK" : "  NOT OFFICIAL");
        }
    }

    /** {@code data fetch}. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Find the dataset, downloading it into the cache if it is nowhere.")
    static final class Fetch implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirectoryOption data;

        @Override
        public Integer call() throws Exception {
            describe(data.loader().load(), CommandOutput.of(spec));
            return 0;
        }
    }

    /** {@code data verify}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Validate the files and check their SHA-256 against the official ones (no download).")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataDirectoryOption data;

        @Override
        public Integer call() throws Exception {
            PrintStream stdout = CommandOutput.of(spec);
            describe(data.loader().optDownload(false).load(), stdout);
            stdout.println("All four files are valid and official.");
            return 0;
        }
    }

    /** {@code data split}. */
    @Command(name = "split", mixinStandardHelpOptions = true,
            description = "Write the train/validation split's indices, identical to PyTorch's random_split.")
    static final class Split implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"--split-seed", "--seed"}, defaultValue = "42", description = "Generator seed of the split "
                + "(default: ${DEFAULT-VALUE}, the notebook's).")
        long seed;

        @Option(names = "--output", required = true, description = "Directory for train-indices.txt and "
                + "validation-indices.txt.")
        Path output;

        @Option(names = "--train-size", converter = Positive.class, defaultValue = "50000",
                description = "Training images; the rest of the 60,000 validate (default: ${DEFAULT-VALUE}).")
        int trainSize;

        @Mixin
        DataDirectoryOption data;

        @Override
        public Integer call() throws Exception {
            PrintStream stdout = CommandOutput.of(spec);
            FashionMnist fashion = data.loader().load();
            int total = fashion.train().size();
            if (trainSize >= total) {
                throw new ModernCnns.UserError("--train-size must be below " + total + ", found " + trainSize);
            }
            TrainValidationSplit split = TrainValidationSplit.of(fashion.train(), seed, trainSize, total - trainSize);
            List<Path> files = split.writeIndexFiles(output);
            stdout.println("Split of seed " + seed + " (torch.utils.data.random_split): " + trainSize
                    + " training, " + (total - trainSize) + " validation images, fingerprint "
                    + split.fingerprint());
            files.forEach(f -> stdout.println("  " + f));
            return 0;
        }
    }

    /** {@code data export}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the training split's minibatches as DL4J DataSet files, for Spark training from "
                    + "distributed storage (train --spark ... --train-files, or spark-submit --train-files).")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "A new (or empty) directory for minibatch-NNNNN.bin.")
        Path output;

        @Option(names = "--batch-size", converter = Positive.class, defaultValue = "128",
                description = "Images per minibatch file: the batch size per Spark worker (default: "
                        + "${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--resize", defaultValue = "28", converter = Positive.class,
                description = "Image side in pixels: 28, or the model's input size such as 224 or 96 (default: "
                        + "${DEFAULT-VALUE}).")
        int resize;

        @Option(names = "--seed", defaultValue = "42", description = "Seed of split and order (default: "
                + "${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--limit", converter = Positive.class, description = "Only the first N training images.")
        Integer limit;

        @Mixin
        DataDirectoryOption data;

        @Override
        public Integer call() throws Exception {
            PrintStream stdout = CommandOutput.of(spec);
            FashionMnist fashion = data.loader().load();
            try (FashionMnistIterators iterators = FashionMnistIterators.create(fashion, batchSize,
                    resize, seed, limit == null ? -1 : limit)) {
                int files = DataSetFiles.write(iterators.train(), output);
                stdout.printf(Locale.ROOT, "Wrote %d minibatch files (%d training images, batch %d, %dx%d) to "
                        + "%s%n", files, iterators.train().size(), batchSize, resize, resize, output);
            }
            return 0;
        }
    }
}
