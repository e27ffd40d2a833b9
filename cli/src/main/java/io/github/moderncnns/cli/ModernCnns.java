package io.github.moderncnns.cli;

import io.github.moderncnns.architectures.LayerHelpers;
import io.github.moderncnns.data.DatasetException;
import io.github.moderncnns.training.TrainingDivergedException;
import io.github.moderncnns.training.TrainingUi;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code moderncnns} command: the notebook's lab from the command line. Exit codes: 0 success, 2 usage error,
 * 1 failure (with a one-line cause and its fix; {@code --verbose} adds the stack trace).
 */
@Command(name = "moderncnns", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "AlexNet, VGG, BatchNorm-LeNet and ResNet-18 on Fashion-MNIST with Deeplearning4j.",
        subcommands = {TrainCommand.class, RecipesCommand.class, LabCommand.class, SummaryCommand.class,
            EvaluateCommand.class, PredictCommand.class, ExportCommand.class, DataCommand.class, UiCommand.class,
            BenchmarkCommand.class, InspectBnCommand.class, CommandLine.HelpCommand.class})
public final class ModernCnns {
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of failures.")
    boolean verbose;

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        LayerHelpers.enable(); // the application's choice, JVM-wide: every graph on the fast path (LayerHelpers)
        System.exit(run(args));
    }

    /**
     * Runs a command line and returns its exit code (for tests and embedding).
     *
     * @param args the command line
     * @return 0 on success, 2 on a usage error, 1 on a failure
     */
    public static int run(String... args) {
        return run(commandLine(), args);
    }

    /** The command line with the failure handling {@link #run} gives it; tests set its writers. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new ModernCnns());
        commandLine.setExecutionExceptionHandler(ModernCnns::failure);
        return commandLine;
    }

    /**
     * Runs a command line on a prepared {@link #commandLine()}.
     *
     * @param commandLine the command line, its writers set
     * @param args the arguments
     * @return the exit code
     */
    static int run(CommandLine commandLine, String... args) {
        try {
            return commandLine.execute(args);
        } catch (OutOfMemoryError e) { // picocli lets errors through; this one is the user's to fix, in one line
            commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + outOfMemory(e)));
            if (List.of(args).contains("--verbose")) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    /** What ran out, and the setting that helps. */
    static String outOfMemory(OutOfMemoryError e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Java heap") || message.contains("GC overhead")) {
            return "out of memory: the Java heap is full (" + message + "); lower --batch-size, or give Java more "
                    + "with MODERNCNNS_HEAP (./moderncnns: default 4g)";
        }
        return "out of memory: ND4J could not allocate its arrays outside the Java heap (" + message + "); lower "
                + "--batch-size, or raise MODERNCNNS_OFFHEAP and MODERNCNNS_PHYSICAL (./moderncnns: defaults 12G "
                + "and 18G) if the machine has the memory";
    }

    /** One line for the user: what went wrong and how to fix it. The stack trace only with --verbose. */
    private static int failure(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        boolean verbose = parseResult.hasMatchedOption("--verbose")
                || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
        Throwable cause = e;
        if (e instanceof CommandLine.ExecutionException && e.getCause() != null) {
            cause = e.getCause();
        }
        err.println(commandLine.getColorScheme().errorText("error: " + describe(cause)));
        if (verbose) {
            cause.printStackTrace(err);
        } else {
            err.println("(run with --verbose for details)");
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    /**
     * One line for a failure: its message if it is written for the user; for file-system errors, the file and what
     * the error means; else the type and message. Never "null".
     */
    static String describe(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError memory) {
                return outOfMemory(memory);
            }
        }
        if (cause instanceof FileSystemException files && !(cause instanceof FileAlreadyExistsException
                && files.getReason() != null)) {
            String meaning = cause instanceof NoSuchFileException ? "no such file or directory"
                    : cause instanceof AccessDeniedException ? "permission denied"
                    : cause instanceof NotDirectoryException ? "is a file, not a directory"
                    : cause instanceof DirectoryNotEmptyException ? "directory not empty"
                    : cause instanceof FileAlreadyExistsException ? "already exists"
                    : files.getReason() != null ? files.getReason() : cause.getClass().getSimpleName();
            return files.getFile() + (files.getOtherFile() == null ? "" : " -> " + files.getOtherFile()) + ": "
                    + meaning;
        }
        if (cause.getMessage() == null || cause.getMessage().isBlank()) {
            return cause.getClass().getSimpleName() + " (no message)";
        }
        return (isUserFacing(cause) ? "" : cause.getClass().getSimpleName() + ": ") + cause.getMessage();
    }

    /** Failures whose message is written for the user (what is wrong and how to fix it), shown as they are. */
    private static boolean isUserFacing(Throwable cause) {
        return cause instanceof DatasetException || cause instanceof IOException
                || cause instanceof IllegalArgumentException || cause instanceof UserError
                || cause instanceof TrainingUi.UiPortInUseException || cause instanceof TrainingDivergedException;
    }

    /** A failure caused by the user's input, reported in one line. */
    static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UserError(String message) {
            super(message);
        }
    }
}
