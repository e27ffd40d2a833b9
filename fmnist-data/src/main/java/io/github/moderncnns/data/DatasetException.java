package io.github.moderncnns.data;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A problem with the Fashion-MNIST files that the user can fix: every message names the file, what was expected,
 * what was found, and how to fix it, so that callers (the CLI above all) can show it as it is, without a stack trace.
 *
 * <p>Subclasses say which kind of problem it is: {@link IdxFormatException} (the bytes are not a valid Fashion-MNIST
 * IDX file), {@link ChecksumMismatchException} (valid, but not the official content) and
 * {@link DatasetNotFoundException} (the files are nowhere to be found and could not be downloaded).
 */
public class DatasetException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String fix;

    /**
     * @param file the file or directory concerned, or {@code null} if none
     * @param problem what is wrong, including what was expected and what was found
     * @param fix what the user can do about it
     * @param cause the underlying error, or {@code null}
     */
    public DatasetException(Path file, String problem, String fix, Throwable cause) {
        super(compose(file, problem, fix), cause);
        this.file = file;
        this.fix = fix;
    }

    private static String compose(Path file, String problem, String fix) {
        StringBuilder message = new StringBuilder();
        if (file != null) {
            message.append(file).append(": ");
        }
        message.append(problem);
        if (fix != null && !fix.isBlank()) {
            message.append(" Fix: ").append(fix);
        }
        return message.toString();
    }

    /** The file or directory the problem was found in, if there is one. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** What the user can do about the problem. */
    public String fix() {
        return fix;
    }
}
