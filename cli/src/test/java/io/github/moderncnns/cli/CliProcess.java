package io.github.moderncnns.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built {@code cli.jar} as users do: {@code java -jar cli.jar ...} in a separate JVM, from a working
 * directory outside the project, with only Java on the {@code PATH} (no Maven).
 */
final class CliProcess {
    static final Path JAR = Path.of(System.getProperty("cli.jar", "target/cli.jar")).toAbsolutePath();
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private CliProcess() {
    }

    static ProcessBuilder builder(Path workingDirectory, String... args) {
        return builder(workingDirectory, JAVA.getParent().toString(), args);
    }

    private static ProcessBuilder builder(Path workingDirectory, String path, String... args) {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-Xmx2g",
                "-Dorg.bytedeco.javacpp.maxbytes=6G", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().put("PATH", path);
        return builder;
    }

    static Result run(Path workingDirectory, String... args) throws IOException, InterruptedException {
        return run(builder(workingDirectory, args), workingDirectory, args);
    }

    /**
     * With the system's tools on the {@code PATH} too: Spark and Hadoop's local file system run {@code chmod} and
     * {@code rm}, which every real shell has.
     */
    static Result runWithSystemTools(Path workingDirectory, String... args) throws IOException,
            InterruptedException {
        return run(builder(workingDirectory, JAVA.getParent() + ":/usr/bin:/bin", args), workingDirectory, args);
    }

    /**
     * As {@link #runWithSystemTools}, with {@code SPARK_LOCAL_IP=127.0.0.1} as {@code ./moderncnns} sets it (Spark's
     * local-cluster mode needs it).
     */
    static Result runLikeTheLauncher(Path workingDirectory, String... args) throws IOException,
            InterruptedException {
        ProcessBuilder builder = builder(workingDirectory, JAVA.getParent() + ":/usr/bin:/bin", args);
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return run(builder, workingDirectory, args);
    }

    /**
     * Through the {@code moderncnns} launcher script at the project's root, as the README runs it, with extra
     * environment variables.
     */
    static Result runThroughTheLauncher(Path workingDirectory, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        Path launcher = JAR.getParent().getParent().getParent().resolve("moderncnns");
        List<String> command = new ArrayList<>(List.of("/bin/bash", launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().put("PATH", JAVA.getParent() + ":/usr/bin:/bin");
        builder.environment().remove("LD_PRELOAD");
        builder.environment().remove("MALLOC_CONF");
        builder.environment().putAll(environment);
        return run(builder, workingDirectory, args);
    }

    private static Result run(ProcessBuilder builder, Path workingDirectory, String... args) throws IOException,
            InterruptedException {
        Path out = Files.createTempFile(workingDirectory, "out", ".txt");
        Path err = Files.createTempFile(workingDirectory, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", args));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
