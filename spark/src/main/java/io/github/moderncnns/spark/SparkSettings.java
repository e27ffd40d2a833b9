package io.github.moderncnns.spark;

import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** The Spark settings this project runs with: local mode bound to the loopback interface only, UI off. */
public final class SparkSettings {
    private SparkSettings() {
    }

    /**
     * A local Spark context that talks to nothing but this machine.
     *
     * @param master a local master URL such as {@code local[2]}
     * @param workDirectory where Spark keeps its scratch files
     * @return the context; stop it when done
     * @throws IllegalArgumentException if the master is not a local one
     */
    public static JavaSparkContext local(String master, Path workDirectory) {
        if (!master.startsWith("local")) {
            throw new IllegalArgumentException("expected a local master such as local[2], found '" + master
                    + "'; for a cluster, use spark-submit (docs/scale-out.md)");
        }
        SparkConf conf = new SparkConf().setMaster(master).setAppName("modern-cnns")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false").set("spark.local.dir", workDirectory.resolve("spark").toString())
                .set("spark.driver.maxResultSize", "2g");
        return new JavaSparkContext(conf);
    }
}
