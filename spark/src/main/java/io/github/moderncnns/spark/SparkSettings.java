package io.github.moderncnns.spark;

import io.github.moderncnns.architectures.LayerHelpers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark settings this project runs with on one machine: bound to the loopback interface only, UI off, scratch
 * files under a directory of ours. Two masters:
 * <ul>
 * <li>{@code local[N]}: N executor threads in this JVM (parameter averaging only);</li>
 * <li>{@code local-cluster[W,C,M]}: Spark's own standalone master and W workers in this JVM, each starting an
 * executor JVM with C cores and M MiB, as on a cluster. Gradient sharing needs it. This is the mode Spark's own test
 * suites use: it sets the {@code spark.testing} system property (executors get this JVM's class path) and needs
 * the environment variable {@code SPARK_LOCAL_IP=127.0.0.1}, without which Spark binds the master's and workers' web
 * UIs to every interface.</li>
 * </ul>
 */
public final class SparkSettings {
    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\d+|\\*)])?");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[(\\d+),(\\d+),(\\d+)]");

    private SparkSettings() {
    }

    /**
     * A Spark context that talks to nothing but this machine.
     *
     * @param master {@code local[N]} or {@code local-cluster[WORKERS,CORES_PER_WORKER,MIB_PER_WORKER]}
     * @param workDirectory where Spark and the executors keep their scratch files (delete it when done)
     * @return the context; stop it when done
     * @throws IllegalArgumentException if the master is neither
     * @throws IllegalStateException for local-cluster without {@code SPARK_LOCAL_IP=127.0.0.1}
     */
    public static JavaSparkContext local(String master, Path workDirectory) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName("modern-cnns")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false").set("spark.local.dir", workDirectory.resolve("spark").toString())
                .set("spark.driver.maxResultSize", "2g");
        Matcher cluster = LOCAL_CLUSTER.matcher(master);
        if (cluster.matches()) {
            configureLocalCluster(conf, Integer.parseInt(cluster.group(3)), workDirectory);
        } else if (!LOCAL.matcher(master).matches()) {
            throw new IllegalArgumentException("expected local[N] or local-cluster[WORKERS,CORES,MIB] (such as "
                    + "local-cluster[2,1,2048]), found '" + master + "'; for a cluster, use spark-submit "
                    + "(docs/scale-out.md)");
        }
        return new JavaSparkContext(conf);
    }

    private static void configureLocalCluster(SparkConf conf, int mibPerWorker, Path workDirectory) {
        String localIp = System.getenv("SPARK_LOCAL_IP");
        if (localIp == null || !isLoopback(localIp)) {
            throw new IllegalStateException("local-cluster needs the environment variable SPARK_LOCAL_IP=127.0.0.1 "
                    + "(found " + (localIp == null ? "none" : "'" + localIp + "'") + "): without it Spark binds its "
                    + "master's and workers' web UIs to every interface. Run: SPARK_LOCAL_IP=127.0.0.1 java -jar ...");
        }
        if (mibPerWorker < 1024) {
            throw new IllegalArgumentException("give each local-cluster worker at least 1024 MiB, found "
                    + mibPerWorker + " (local-cluster[WORKERS,CORES,MIB])");
        }
        Path sparkHome = workDirectory.resolve("spark-home");
        try {
            // the workers look for Spark's jars under SPARK_HOME/jars; ours are on the class path instead
            Files.createDirectories(sparkHome.resolve("jars"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + sparkHome, e);
        }
        System.setProperty("spark.testing", "true");
        System.setProperty("spark.test.home", sparkHome.toString());
        conf.set("spark.executor.memory", mibPerWorker + "m")
                .set("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1")
                .set("spark.executorEnv.SPARK_SCALA_VERSION", "2.12")
                // Spark adds the --add-opens flags Java 17 needs to the executors' command line itself
                .set("spark.executor.extraJavaOptions", layerHelpersOption() + " "
                        + GradientSharing.executorJavaOptions(workDirectory.resolve("aeron")
                                .resolve("executor-{{EXECUTOR_ID}}").toString()));
    }

    /**
     * The executors' switch for DL4J's fast layer helpers ({@link LayerHelpers}): on, unless this JVM was started
     * with them off. Executors create their copies of the network in JVMs of their own, where the driver's
     * {@link LayerHelpers#on()} does not reach.
     *
     * @return the JVM option
     */
    static String layerHelpersOption() {
        return "-D" + LayerHelpers.DISABLE_PROPERTY + "=" + System.getProperty(LayerHelpers.DISABLE_PROPERTY, "false");
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
