package io.github.moderncnns.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.moderncnns.data.FashionMnist;
import io.github.moderncnns.data.FashionMnistIterators;
import io.github.moderncnns.data.RealData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar under {@code spark-submit} as a cluster runs it: a Spark home whose {@code jars/} hold Spark 3.3.4 as
 * its distribution ships it (spark-core and its own dependencies: Scala 2.12.15, Jackson 2.13; resolved by Maven from
 * src/test/spark-distribution/pom.xml), the driver's command built by Spark's own launcher
 * ({@code org.apache.spark.launcher.Main}, which bin/spark-submit runs), and our job jar with everything else.
 */
class SparkSubmitIT {
    private static final Path JOB_JAR = Path.of(System.getProperty("job.jar", "target/spark-job.jar"));

    @TempDir
    Path dir;

    @Test
    void theJobJarTrainsFromMinibatchFilesUnderSparkSubmit() throws Exception {
        assertThat(JOB_JAR).as("the job jar (mvn package)").isRegularFile();
        FashionMnist data = RealData.dataset();
        Path files = dir.resolve("minibatches");
        try (FashionMnistIterators iterators = FashionMnistIterators.create(data, 128, 0, 42, 2_048)) {
            assertThat(DataSetFiles.write(iterators.train(), files)).isEqualTo(16);
        }
        Path sparkHome = sparkDistribution(dir.resolve("spark-home"));
        Path output = dir.resolve("run");

        List<String> command = launcherCommand(sparkHome, "--master", "local[2]", "--driver-memory", "2g",
                "--conf", "spark.driver.maxResultSize=2g", "--class", SparkTrainJob.class.getName(),
                JOB_JAR.toString(), "--train-files", files.toUri().toString(), "lenet-bn", "1", "128",
                output.toString(), "2048", data.provenance().directory().toString());
        // what docs/scale-out.md promises: Spark adds the flags Java 17 needs, no --conf for them
        assertThat(command).contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");

        Result result = run(command, sparkHome);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("Training lenet-bn on Spark (local[2], 2 partitions), minibatch files "
                + "in " + files.toUri() + ", batch 128 per worker")
                .containsPattern("Epoch 1, Train loss \\d+\\.\\d\\d, Train accuracy");
        assertThat(output.resolve("model.zip")).isRegularFile();
        assertThat(output.resolve("metrics.csv")).isRegularFile();
        assertThat(output.resolve("loss.png")).isRegularFile(); // headless AWT under spark-submit
        assertThat(result.output()).containsPattern("Test loss \\d+\\.\\d\\d, Test accuracy");
    }

    /** SPARK_HOME/jars with Spark's distribution jars (links into the local Maven repository). */
    private Path sparkDistribution(Path sparkHome) throws Exception {
        Path classpathFile = sparkHome.resolve("classpath.txt");
        List<String> mvn = new ArrayList<>(List.of("mvn", "-B", "-q", "-f",
                Path.of("src/test/spark-distribution/pom.xml").toAbsolutePath().toString(),
                "dependency:build-classpath", "-Dmdep.outputFile=" + classpathFile,
                "-Dspark.version=" + System.getProperty("spark.version", "3.3.4")));
        if (System.getProperty("maven.repo.local") != null) {
            mvn.add("-Dmaven.repo.local=" + System.getProperty("maven.repo.local"));
        }
        Files.createDirectories(sparkHome.resolve("jars"));
        Result resolved = run(mvn, null);
        assertThat(resolved.exitCode()).as("resolving Spark's distribution: " + resolved.output()).isZero();
        for (String jar : Files.readString(classpathFile).trim().split(java.io.File.pathSeparator)) {
            Path source = Path.of(jar);
            Files.createSymbolicLink(sparkHome.resolve("jars").resolve(source.getFileName()), source);
        }
        return sparkHome;
    }

    /** What bin/spark-class does: ask Spark's launcher for the command (NUL-separated) and return it. */
    private List<String> launcherCommand(Path sparkHome, String... submitArguments) throws Exception {
        List<String> launcher = new ArrayList<>(List.of(java(), "-cp", sparkHome.resolve("jars") + "/*",
                "org.apache.spark.launcher.Main", "org.apache.spark.deploy.SparkSubmit"));
        launcher.addAll(List.of(submitArguments));
        Result built = run(launcher, sparkHome);
        assertThat(built.exitCode()).as(built.output()).isZero();
        List<String> command = new ArrayList<>();
        for (String token : built.output().split("\0")) {
            if (!token.isBlank()) {
                command.add(token.strip());
            }
        }
        return command;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private record Result(int exitCode, String output) {
    }

    /**
     * Runs a command with the environment bin/spark-submit gives it (SPARK_HOME, and SPARK_SCALA_VERSION as
     * bin/load-spark-env.sh sets it), loopback only, and the system tools Hadoop's local file system calls.
     */
    private Result run(List<String> command, Path sparkHome) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (sparkHome != null) {
            builder.environment().put("SPARK_HOME", sparkHome.toString());
            builder.environment().put("SPARK_SCALA_VERSION", "2.12");
            builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        }
        Path log = Files.createTempFile(dir, "process", ".log");
        Process process = builder.redirectOutput(log.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
