package io.github.moderncnns.cli;

import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Option;

/** The {@code --threads} option, shared by the commands that compute: ND4J's thread pools and BLAS. */
final class ThreadsOption {
    @Option(names = "--threads", converter = Positive.class, description = "Threads for ND4J and BLAS (default: all "
            + "cores).")
    Integer threads;

    /** Applies the option, if given. */
    void apply() {
        if (threads == null) {
            return;
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** The thread count in effect. */
    int effective() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }
}
