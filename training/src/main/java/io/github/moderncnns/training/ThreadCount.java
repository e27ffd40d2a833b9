package io.github.moderncnns.training;

import io.github.moderncnns.architectures.ModelSummary;
import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How many threads ND4J's own loops and BLAS use for a run, and why. All cores, except for a network too small to split:
 * below {@value #SMALL_NETWORK} multiply-adds per image each operation is so short that handing it to two threads
 * costs more than it saves, and the data pipeline's thread gets the core left free. BN-LeNet (0.28 million) trained
 * 1.22-1.27x faster on one thread than on two, and a real epoch with validation 1.13-1.17x faster (2026-12-02, 2
 * cores, jemalloc; docs/performance.md). The setting is ND4J's and global: the last run started in a JVM sets it.
 * oneDNN's convolutions keep their OpenMP threads: ND4J 1.0.0-M2.1's {@code Environment.setMaxThreads} does nothing
 * (libnd4j has the assignment commented out), so the count reaches ND4J's master threads, BLAS and the project's
 * batch-norm and pooling kernels (which stay on the calling thread when it is 1).
 *
 * @param threads the number of threads
 * @param reason why that many, for the run's report
 */
public record ThreadCount(int threads, String reason) {
    /** Networks with fewer multiply-adds per image than this train on one thread unless told otherwise. */
    public static final long SMALL_NETWORK = 10_000_000L;

    /** Checks the count. */
    public ThreadCount {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + threads);
        }
    }

    /**
     * @param threads a count the user asked for
     * @return that count
     */
    public static ThreadCount requested(int threads) {
        return new ThreadCount(threads, "--threads");
    }

    /**
     * @return all cores of this machine
     */
    public static ThreadCount allCores() {
        return new ThreadCount(Runtime.getRuntime().availableProcessors(), "all cores");
    }

    /**
     * The count for training a network: the requested one if any, else one thread for a small network trained on one
     * device, else all cores.
     *
     * @param requested the user's count, or {@code null} to choose
     * @param network the network's summary (its multiply-adds per image)
     * @param dataParallel whether the run trains on several devices (workers), which need the cores
     * @return the count with its reason
     */
    public static ThreadCount forTraining(Integer requested, ModelSummary network, boolean dataParallel) {
        if (requested != null) {
            return requested(requested);
        }
        long work = network.multiplyAdds();
        if (!dataParallel && work < SMALL_NETWORK) {
            return new ThreadCount(1, String.format(Locale.ROOT, "automatic: %.2f million multiply-adds per image, "
                    + "fewer than %d million", work / 1e6, SMALL_NETWORK / 1_000_000));
        }
        return allCores();
    }

    /** Sets the count for ND4J's master threads (its own parallel loops) and BLAS. */
    public void apply() {
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** @return for example {@code 1 (automatic: 0.28 million multiply-adds per image, fewer than 10 million)} */
    public String describe() {
        return threads + " (" + reason + ")";
    }
}
