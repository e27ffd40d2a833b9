package io.github.moderncnns.cli;

import org.nd4j.linalg.factory.Nd4j;

/** Applies {@code --threads} to ND4J's thread pools and BLAS. */
final class Threads {
    private Threads() {
    }

    static void apply(Integer threads) {
        if (threads == null) {
            return;
        }
        if (threads < 1) {
            throw new ModernCnns.UserError("--threads must be at least 1, found " + threads);
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
