package io.github.moderncnns.cli;

import io.github.moderncnns.data.DatasetException;
import io.github.moderncnns.training.TrainingDivergedException;
import io.github.moderncnns.training.TrainingUi;
import java.io.IOException;
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
        subcommands = {TrainCommand.class, LabCommand.class, SummaryCommand.class, EvaluateCommand.class,
            PredictCommand.class, DataCommand.class, UiCommand.class, BenchmarkCommand.class,
            InspectBnCommand.class, CommandLine.HelpCommand.class})
public final class ModernCnns {
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of failures.")
    boolean verbose;

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs a command line and returns its exit code (for tests and embedding).
     *
     * @param args the command line
     * @return 0 on success, 2 on a usage error, 1 on a failure
     */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new ModernCnns());
        commandLine.setExecutionExceptionHandler(ModernCnns::failure);
        return commandLine.execute(args);
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
        String kind = isUserFacing(cause) ? "" : cause.getClass().getSimpleName() + ": ";
        err.println(commandLine.getColorScheme().errorText("error: " + kind + cause.getMessage()));
        if (verbose) {
            cause.printStackTrace(err);
        } else {
            err.println("(run with --verbose for details)");
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
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
