package io.github.moderncnns.data;

import java.nio.file.Path;

/**
 * The file is not a valid Fashion-MNIST IDX file: wrong magic number, wrong image dimensions, wrong length
 * (truncated or over-long), a label outside 0-9, image and label counts that disagree, or a corrupt gzip stream.
 */
public class IdxFormatException extends DatasetException {
    private static final long serialVersionUID = 1L;

    static final String REPLACE_FIX = "replace the file with the official one (delete it and let the loader download it, "
            + "or reinstall the Debian package dataset-fashion-mnist).";

    /**
     * @param file the offending file
     * @param problem what was expected and what was found
     * @param cause the underlying error, or {@code null}
     */
    public IdxFormatException(Path file, String problem, Throwable cause) {
        super(file, problem, REPLACE_FIX, cause);
    }
}
