package io.github.moderncnns.data;

import java.nio.file.Path;

/**
 * A well-formed IDX file whose decompressed content is not the official Fashion-MNIST content. The check uses the
 * SHA-256 of the decompressed bytes because redistributors (Debian among them) recompress the .gz files.
 */
public class ChecksumMismatchException extends DatasetException {
    private static final long serialVersionUID = 1L;

    private final String expectedSha256;
    private final String foundSha256;

    /**
     * @param file the offending file
     * @param expectedSha256 the official SHA-256 of the decompressed content
     * @param foundSha256 the SHA-256 actually found
     */
    public ChecksumMismatchException(Path file, String expectedSha256, String foundSha256) {
        super(file, "SHA-256 of the decompressed content: expected " + expectedSha256 + ", found " + foundSha256 + ".",
                "delete the file and let the loader download it again, or reinstall dataset-fashion-mnist; "
                        + "to load modified files on purpose, turn checksum verification off (optVerifyChecksums(false)).",
                null);
        this.expectedSha256 = expectedSha256;
        this.foundSha256 = foundSha256;
    }

    /** The official SHA-256 of the decompressed content. */
    public String expectedSha256() {
        return expectedSha256;
    }

    /** The SHA-256 of the decompressed content that was found. */
    public String foundSha256() {
        return foundSha256;
    }
}
