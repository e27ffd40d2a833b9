package io.github.moderncnns.cli;

import picocli.CommandLine.Option;

/**
 * The options {@code train} and {@code lab} share: how long, on how much data, from which seeds. Unset options are
 * {@code null}: the recipe's or the notebook's default applies, which lives in {@code Recipe}, {@code RunSpec}
 * and {@code LabSettings}, not here.
 */
final class RunOptions {
    @Option(names = "--epochs", converter = Positive.class, description = "Epochs (default: the recipe's; the "
            + "notebook's: AlexNet, VGG and ResNet 5, BN-LeNet 10).")
    Integer epochs;

    @Option(names = "--limit", converter = Positive.class, description = "Use only the first N images of each "
            + "subset (quick runs).")
    Integer limit;

    @Option(names = "--seed", description = "Seed of initialisation, shuffling and dropout (default: 42).")
    Long seed;

    @Option(names = "--split-seed", description = "Seed of the 50,000/10,000 split alone, as the notebook's "
            + "torch.Generator().manual_seed(42) (default: 42).")
    Long splitSeed;

    /**
     * @return the image limit per subset, -1 for all
     */
    int limitOrAll() {
        return limit == null ? -1 : limit;
    }
}
