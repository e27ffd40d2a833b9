package io.github.moderncnns.cli;

import io.github.moderncnns.training.ThreadCount;
import picocli.CommandLine.Option;

/** The {@code --threads} option, shared by the commands that compute: ND4J's own parallel loops and BLAS. */
final class ThreadsOption {
    @Option(names = "--threads", converter = Positive.class, description = "Threads for ND4J's own loops and "
            + "BLAS (default: all cores; train and lab use one for networks under 10 million multiply-adds per image, "
            + "such as BN-LeNet, which train faster so).")
    Integer threads;

    /** The given count, or all cores, applied now (benchmark, the Spark driver). */
    ThreadCount applyNow() {
        ThreadCount count = threads == null ? ThreadCount.allCores() : ThreadCount.requested(threads);
        count.apply();
        return count;
    }

    /** The given count, or {@code null} to let each run choose by its network's size ({@link ThreadCount}). */
    Integer requested() {
        return threads;
    }
}
