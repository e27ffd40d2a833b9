package io.github.moderncnns.architectures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.deeplearning4j.config.DL4JSystemProperties;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;

/**
 * DL4J's layer helpers: the oneDNN (CPU) or cuDNN (GPU) implementations of convolution, pooling and batch norm that
 * make training 3-6x faster than DL4J's own Java code on these networks.
 *
 * <p>DL4J 1.0.0-M2.1 switches them off by default ({@code org.eclipse.deeplearning4j.helpers.disable} is true) and,
 * on the CPU, cannot find them even when switched on (see the stand-in {@code org.nd4j.nativeblas.Nd4jCpu}). The
 * switch is a JVM-wide system property, read when a layer is created: changing it later does not change existing
 * graphs, and it changes every graph created afterwards, in every thread.
 *
 * <p>So this library never changes it behind the application's back. The graphs it creates get the helpers
 * <em>while they are created</em> ({@link #on()}, which puts the property back afterwards): {@code Architecture.init()},
 * the models and checkpoints the training module loads, and the replicas made during {@code Trainer.train()}. A
 * graph the application builds itself opts in, either for one graph ({@code try (var helpers = LayerHelpers.on())
 * { graph.init(); }}) or for the whole JVM ({@link #enable()}, once at start; the CLI does that). A value the user
 * sets for the property wins: {@code -Dorg.eclipse.deeplearning4j.helpers.disable=true} turns the helpers off (to
 * compare, or to rule them out when hunting a bug). Helpers only take {@code FLOAT} data: {@code DOUBLE} graphs
 * always use DL4J's Java code.
 *
 * <p>The same switch governs this project's batch-norm and pooling kernels ({@link FastBatchNormalization},
 * {@link FastSubsampling}), which take the place of DL4J's oneDNN helpers for those layers in the graphs the
 * architectures build, and the first convolution's backward pass without the input gradient
 * ({@link InputConvolution}; its forward pass stays oneDNN's).
 */
public final class LayerHelpers {
    /** DL4J's switch for the helpers. */
    public static final String DISABLE_PROPERTY = DL4JSystemProperties.DISABLE_HELPER_PROPERTY;

    private LayerHelpers() {
    }

    /**
     * Switches the helpers on, JVM-wide, for every graph created from now on in any thread, unless the user has set
     * {@link #DISABLE_PROPERTY}: for an application that wants the fast path everywhere (the CLI calls it at start).
     */
    public static void enable() {
        if (System.getProperty(DISABLE_PROPERTY) == null) {
            System.setProperty(DISABLE_PROPERTY, "false");
        }
    }

    /**
     * Switches the helpers on until the returned scope is closed, then puts the property back as it was, unless the
     * user has set {@link #DISABLE_PROPERTY} (then nothing changes). Graphs created in the scope keep their helpers
     * after it. The property is JVM-wide: graphs other threads create meanwhile get helpers too.
     *
     * <pre>{@code
     * try (LayerHelpers.Scope helpers = LayerHelpers.on()) {
     *     graph.init();
     * }
     * }</pre>
     *
     * @return the scope to close
     */
    public static Scope on() {
        String previous = System.getProperty(DISABLE_PROPERTY);
        if (previous == null) {
            System.setProperty(DISABLE_PROPERTY, "false");
        }
        return () -> {
            if (previous == null) {
                System.clearProperty(DISABLE_PROPERTY);
            }
        };
    }

    /** A time during which graphs are created with helpers ({@link #on()}); closing it throws nothing. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Creates something, typically a graph, with the helpers switched off, then puts the property back as it was: for
     * comparing DL4J's Java code with the helpers in one process.
     *
     * @param create what creates the graph (helpers are chosen while its layers are created)
     * @param <T> what it creates
     * @return what it created
     */
    public static <T> T withoutHelpers(Supplier<T> create) {
        String previous = System.getProperty(DISABLE_PROPERTY);
        System.setProperty(DISABLE_PROPERTY, "true");
        try {
            return create.get();
        } finally {
            if (previous == null) {
                System.clearProperty(DISABLE_PROPERTY);
            } else {
                System.setProperty(DISABLE_PROPERTY, previous);
            }
        }
    }

    /** Whether graphs created now get helpers at all (the property is not true). */
    public static boolean enabled() {
        return !Boolean.parseBoolean(
                System.getProperty(DISABLE_PROPERTY, DL4JSystemProperties.HELPER_DISABLE_DEFAULT_VALUE));
    }

    /** Whether ND4J runs on the CPU, where the project's kernels (which read host memory) apply. */
    static boolean onCpu() {
        return "CPU".equalsIgnoreCase(org.nd4j.linalg.factory.Nd4j.getExecutioner().getEnvironmentInformation()
                .getProperty("backend"));
    }

    /**
     * Whether the project's kernels may split their loops over threads: not when ND4J was told to use one thread
     * (the training module's {@code ThreadCount}, which runs small networks such as BN-LeNet on one thread), so that
     * a thread count means the same for the kernels as for ND4J.
     */
    static boolean kernelsMayUseThreads() {
        return org.nd4j.linalg.factory.Nd4j.getEnvironment().maxMasterThreads() > 1;
    }

    /** Whether the backend offers oneDNN: a CPU backend built with it, and C++ helpers allowed by ND4J. */
    public static boolean oneDnnAvailable() {
        return BaseMKLDNNHelper.mklDnnEnabled();
    }

    /**
     * One line for logs and reports, e.g. {@code oneDNN layer helpers on}.
     *
     * @return which implementation conv layers created now will use (pooling and batch norm: see
     *         {@link #describe(ComputationGraph)})
     */
    public static String describe() {
        if (!enabled()) {
            return "layer helpers off (" + DISABLE_PROPERTY + "=true): DL4J's Java implementation";
        }
        String backend = org.nd4j.linalg.factory.Nd4j.getExecutioner().getEnvironmentInformation()
                .getProperty("backend");
        if ("CUDA".equalsIgnoreCase(backend)) {
            return "cuDNN layer helpers on if deeplearning4j-cuda is on the class path";
        }
        return oneDnnAvailable() ? "oneDNN layer helpers on"
                : "no oneDNN in this ND4J build: DL4J's Java implementation (slower; see docs/performance.md)";
    }

    /**
     * One line for reports: which implementation a graph's conv, pooling and batch-norm layers use, for example
     * {@code oneDNN layer helpers on (20 layers), Java kernels for batch norm (17 layers) and pooling (1 layer)}.
     *
     * @param graph an initialised graph
     * @return what its layers use
     */
    public static String describe(ComputationGraph graph) {
        Map<String, String> helpers = inUse(graph);
        if (helpers.isEmpty()) {
            return "DL4J's Java implementation (no layer helpers)";
        }
        Map<String, String> kernels = Map.of(BatchNormKernel.class.getSimpleName(), "batch norm",
                PoolingKernel.class.getSimpleName(), "pooling");
        List<String> dl4j = helpers.values().stream().filter(name -> !kernels.containsKey(name)).toList();
        List<String> parts = new ArrayList<>();
        if (!dl4j.isEmpty()) {
            boolean oneDnn = dl4j.stream().allMatch(name -> name.startsWith("MKLDNN")
                    || name.equals(InputConvolutionHelper.class.getSimpleName())); // oneDNN's, but its backward
            parts.add((oneDnn ? "oneDNN" : String.join("/", new TreeSet<>(dl4j))) + " layer helpers on ("
                    + layers(dl4j.size()) + ")");
        }
        List<String> ours = new ArrayList<>();
        kernels.keySet().stream().sorted().forEach(kernel -> {
            long layers = helpers.values().stream().filter(kernel::equals).count();
            if (layers > 0) {
                ours.add(kernels.get(kernel) + " (" + layers(layers) + ")");
            }
        });
        if (!ours.isEmpty()) {
            parts.add("Java kernels for " + String.join(" and ", ours));
        }
        return String.join(", ", parts);
    }

    private static String layers(long count) {
        return count == 1 ? "1 layer" : count + " layers";
    }

    /**
     * The helper each layer of a graph uses.
     *
     * @param graph an initialised graph
     * @return layer name to helper class simple name, in topological order, for the layers that have one
     */
    public static Map<String, String> inUse(ComputationGraph graph) {
        Map<String, String> helpers = new LinkedHashMap<>();
        for (Layer layer : graph.getLayers()) {
            if (layer.getHelper() != null) {
                helpers.put(layer.getConfig().getLayerName(), layer.getHelper().getClass().getSimpleName());
            }
        }
        return helpers;
    }
}
