package io.github.moderncnns.spark;

import java.nio.file.Path;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.ThresholdAlgorithm;
import org.deeplearning4j.optimize.solvers.accumulation.encoding.threshold.AdaptiveThresholdAlgorithm;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;

/**
 * How {@link SparkTraining} shares gradients instead of averaging parameters: DL4J's {@code SharedTrainingMaster}
 * (Strom, <a href="https://www.isca-speech.org/archive/interspeech_2015/strom15_interspeech.html">Scalable
 * distributed DNN training using commodity GPU cloud computing</a>, 2015). Every executor sends each update,
 * threshold-encoded (only elements above a threshold, as plus or minus the threshold; the rest carried over as a
 * residual), to every other executor and to the driver over Aeron UDP, and applies what it receives.
 *
 * <p>It needs executors in their own JVMs ({@code local-cluster[...]} or a real cluster): in {@code local[N]} the
 * driver and the executors share one parameter-server singleton, the driver never receives an update and its model
 * stays untrained (checked; docs/scale-out.md). Batch-norm running statistics travel through the same encoding and
 * lag far behind the weights, so {@link SparkTraining} re-estimates them on the driver after every epoch
 * ({@code BatchNormStatistics}, from the first training minibatches).
 */
public final class GradientSharing {
    /**
     * Aeron's publication unblock timeout for every JVM of the run, in nanoseconds: the default (15 s) is shorter
     * than the client liveness timeout DL4J sets (30 s), which Aeron refuses at start-up.
     */
    static final String AERON_UNBLOCK_TIMEOUT_NS = "60000000000";

    private final double initialThreshold;
    private final int port;
    private final String networkMask;

    private GradientSharing(Builder builder) {
        this.initialThreshold = builder.initialThreshold;
        this.port = builder.port;
        this.networkMask = builder.networkMask;
    }

    /** @return the settings for one machine: any free port per JVM, executors on the loopback interface */
    public static GradientSharing onThisMachine() {
        return builder().build();
    }

    /** A builder: every setting is optional ({@code optX}). */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link GradientSharing} settings. */
    public static final class Builder {
        private double initialThreshold = 1e-3;
        private int port;
        private String networkMask = "127.0.0.0/8";

        private Builder() {
        }

        /**
         * @param initialThreshold where DL4J's adaptive threshold starts (default 1e-3, DL4J's default); it then
         *                         adapts so that about 1e-3 .. 1e-2 of the parameters are sent per step
         * @return this builder
         */
        public Builder optInitialThreshold(double initialThreshold) {
            if (!(initialThreshold > 0)) {
                throw new IllegalArgumentException("the threshold must be positive, found " + initialThreshold);
            }
            this.initialThreshold = initialThreshold;
            return this;
        }

        /**
         * @param port the UDP port every JVM (driver and executors) listens on, for clusters whose firewall must
         *             name it; then run one executor per machine. Default 0: any free port, chosen per JVM.
         * @return this builder
         */
        public Builder optPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("expected a UDP port from 1 to 65535 (or 0 for any free port), "
                        + "found " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * @param networkMask the subnet, in CIDR notation, whose address each executor advertises to the others,
         *                    such as 10.1.0.0/16 (default 127.0.0.0/8: one machine)
         * @return this builder
         */
        public Builder optNetworkMask(String networkMask) {
            if (networkMask == null || !networkMask.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
                throw new IllegalArgumentException("expected a network mask in CIDR notation such as 10.1.0.0/16, "
                        + "found '" + networkMask + "'");
            }
            this.networkMask = networkMask;
            return this;
        }

        /** @return the settings */
        public GradientSharing build() {
            return new GradientSharing(this);
        }
    }

    /** @return the UDP port of every JVM, or 0 for any free port */
    public int port() {
        return port;
    }

    /** @return the subnet the executors advertise addresses in */
    public String networkMask() {
        return networkMask;
    }

    /** @return where the adaptive threshold starts */
    public double initialThreshold() {
        return initialThreshold;
    }

    /**
     * @param driverHost the address the executors reach the driver at ({@code spark.driver.host})
     * @return DL4J's parameter-server configuration for this run
     */
    VoidConfiguration voidConfiguration(String driverHost) {
        VoidConfiguration configuration = VoidConfiguration.builder().controllerAddress(driverHost)
                .networkMask(networkMask).build();
        configuration.setPortSupplier(port == 0 ? UdpPortSupplier.anyFree() : UdpPortSupplier.fixed(port));
        return configuration;
    }

    /** @return DL4J's adaptive threshold algorithm, starting at the initial threshold */
    ThresholdAlgorithm thresholdAlgorithm() {
        return new AdaptiveThresholdAlgorithm(initialThreshold);
    }

    /**
     * The JVM options an executor needs for gradient sharing: the unblock timeout, and Aeron's directory
     * (memory-mapped buffers) deleted when the executor exits (Aeron leaves it behind by default).
     *
     * @param aeronDirectory the executor's Aeron directory, or null for Aeron's default (a fresh directory under
     *                       /dev/shm on Linux)
     * @return the options, space-separated
     */
    static String executorJavaOptions(String aeronDirectory) {
        return (aeronDirectory == null ? "" : "-Daeron.dir=" + aeronDirectory + " ")
                + "-Daeron.dir.delete.on.shutdown=true -Daeron.publication.unblock.timeout="
                + AERON_UNBLOCK_TIMEOUT_NS;
    }

    /**
     * Sets the Aeron properties of the driver's JVM, unless the user set them.
     *
     * @param aeronDirectory the driver's Aeron directory
     */
    static void configureDriver(Path aeronDirectory) {
        setUnlessSet("aeron.dir", aeronDirectory.toString());
        setUnlessSet("aeron.dir.delete.on.shutdown", "true");
        setUnlessSet("aeron.publication.unblock.timeout", AERON_UNBLOCK_TIMEOUT_NS);
    }

    private static void setUnlessSet(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    @Override
    public String toString() {
        return "gradient sharing (threshold from " + initialThreshold + ", " + (port == 0 ? "any free UDP port"
                : "UDP port " + port) + ", executors in " + networkMask + ")";
    }
}
