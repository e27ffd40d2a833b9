package io.github.moderncnns.data;

import java.nio.file.Path;

/**
 * The validated content of one IDX file: either images ({@code count} x {@code rows} x {@code cols} bytes) or labels
 * ({@code count} bytes, each 0-9), plus where it came from and the SHA-256 of its decompressed bytes.
 *
 * @param path the file it was read from
 * @param magic 2051 for images, 2049 for labels
 * @param count the number of images or labels
 * @param rows image height (0 for labels)
 * @param cols image width (0 for labels)
 * @param payload the bytes after the header, row-major, one byte per pixel or label; not copied, do not modify
 * @param gzipped whether the file was gzip-compressed
 * @param sha256 SHA-256 of the whole decompressed file (header included), lower-case hex
 */
public record IdxFile(Path path, int magic, int count, int rows, int cols, byte[] payload, boolean gzipped,
        String sha256) {

    /** Whether this file holds images rather than labels. */
    public boolean holdsImages() {
        return magic == IdxReader.IMAGES_MAGIC;
    }
}
