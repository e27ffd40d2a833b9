package io.github.moderncnns.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads Fashion-MNIST IDX files, raw or gzip-compressed (recognised by content, not by file name), and validates
 * everything it can: the magic number, the 28x28 image size, the exact byte length and the label range. Each problem
 * is reported as an {@link IdxFormatException} that names the file, the expected and the found value.
 *
 * <p>The IDX format (LeCun's MNIST page): a big-endian magic number {@code 0x0000TTDD} (type {@code 0x08} = unsigned
 * byte, {@code DD} dimensions), one big-endian int per dimension, then the data.
 */
public final class IdxReader {
    /** Magic number of an image file: unsigned bytes, 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x0803;
    /** Magic number of a label file: unsigned bytes, 1 dimension. */
    public static final int LABELS_MAGIC = 0x0801;
    /** Fashion-MNIST image side, in pixels. */
    public static final int IMAGE_SIDE = 28;
    /** Number of classes; labels are 0 to {@code CLASSES - 1}. */
    public static final int CLASSES = 10;

    private IdxReader() {
    }

    /**
     * Reads and validates an image file (magic 2051, 28x28 images).
     *
     * @param path the file, raw or gzip-compressed
     * @return the validated content
     * @throws DatasetException if the file is missing, unreadable or not a valid image file
     */
    public static IdxFile readImages(Path path) throws DatasetException {
        return read(path, IMAGES_MAGIC);
    }

    /**
     * Reads and validates a label file (magic 2049, labels 0-9).
     *
     * @param path the file, raw or gzip-compressed
     * @return the validated content
     * @throws DatasetException if the file is missing, unreadable or not a valid label file
     */
    public static IdxFile readLabels(Path path) throws DatasetException {
        return read(path, LABELS_MAGIC);
    }

    /**
     * Reads either kind of file, checking that its magic number is the expected one.
     *
     * @param path the file, raw or gzip-compressed
     * @param expectedMagic {@link #IMAGES_MAGIC} or {@link #LABELS_MAGIC}
     * @return the validated content
     * @throws DatasetException if the file is missing, unreadable or invalid
     */
    public static IdxFile read(Path path, int expectedMagic) throws DatasetException {
        byte[] stored = readAll(path);
        boolean gzipped = stored.length >= 2 && (stored[0] & 0xff) == 0x1f && (stored[1] & 0xff) == 0x8b;
        byte[] bytes = gzipped ? gunzip(path, stored) : stored;
        return parse(path, bytes, expectedMagic, gzipped);
    }

    /**
     * The largest IDX file read: Fashion-MNIST's training images are 47,040,016 bytes; twice that leaves room for
     * other 28x28 datasets of this format while a crafted file (a gzip bomb, a huge file) cannot exhaust memory.
     */
    static final long MAX_BYTES = 2L * (16 + 60_000L * IMAGE_SIDE * IMAGE_SIDE);

    private static byte[] readAll(Path path) throws DatasetException {
        try {
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw new IdxFormatException(path, "is " + size + " bytes, more than the " + MAX_BYTES
                        + " any Fashion-MNIST file has.", null);
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new DatasetException(path, "file not found.",
                    "check the path, or let the loader locate or download the dataset.", e);
        } catch (AccessDeniedException e) {
            throw new DatasetException(path, "permission denied while reading.", "make the file readable.", e);
        } catch (IOException e) {
            throw new DatasetException(path, "could not be read: " + e.getMessage(), "check the file system.", e);
        }
    }

    private static byte[] gunzip(Path path, byte[] compressed) throws IdxFormatException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(compressed), 1 << 16)) {
            byte[] content = in.readNBytes((int) MAX_BYTES + 1);
            if (content.length > MAX_BYTES) {
                throw new IdxFormatException(path, "decompresses to more than " + MAX_BYTES + " bytes, more than any "
                        + "Fashion-MNIST file has (a corrupt or crafted file).", null);
            }
            return content;
        } catch (ZipException | java.io.EOFException e) {
            throw new IdxFormatException(path, "starts like a gzip file but is not a valid gzip stream ("
                    + (e.getMessage() == null ? "it ends too early" : e.getMessage())
                    + "); it is probably truncated or corrupt.", e);
        } catch (IOException e) {
            throw new IdxFormatException(path, "could not be decompressed: " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private static IdxFile parse(Path path, byte[] bytes, int expectedMagic, boolean gzipped)
            throws IdxFormatException {
        boolean images = expectedMagic == IMAGES_MAGIC;
        String kind = images ? "image" : "label";
        int headerLength = images ? 16 : 8;
        if (bytes.length < 4) {
            throw new IdxFormatException(path, "an IDX file starts with a 4-byte magic number, found only "
                    + bytes.length + " bytes in total (truncated).", null);
        }
        ByteBuffer header = ByteBuffer.wrap(bytes); // big-endian by default, as IDX
        int magic = header.getInt();
        if (magic != expectedMagic) {
            throw new IdxFormatException(path, "expected the IDX " + kind + " magic number " + expectedMagic
                    + describe(expectedMagic) + ", found " + magic + describe(magic) + ".", null);
        }
        if (bytes.length < headerLength) {
            throw new IdxFormatException(path, "an IDX " + kind + " file has a " + headerLength
                    + "-byte header, found only " + bytes.length + " bytes in total (truncated).", null);
        }
        int count = header.getInt();
        int rows = 0;
        int cols = 0;
        long itemSize = 1;
        if (images) {
            rows = header.getInt();
            cols = header.getInt();
            if (rows != IMAGE_SIDE || cols != IMAGE_SIDE) {
                throw new IdxFormatException(path, "expected " + IMAGE_SIDE + "x" + IMAGE_SIDE
                        + " images, found " + Integer.toUnsignedString(rows) + "x" + Integer.toUnsignedString(cols)
                        + ".", null);
            }
            itemSize = (long) rows * cols;
        }
        if (count < 0) {
            throw new IdxFormatException(path, "expected a non-negative " + kind + " count, found "
                    + Integer.toUnsignedString(count) + ".", null);
        }
        long expectedLength = headerLength + count * itemSize;
        if (bytes.length != expectedLength) {
            throw new IdxFormatException(path, "the header announces " + count + " " + kind + "s, so the "
                    + (gzipped ? "decompressed " : "") + "file must be " + expectedLength + " bytes long; found "
                    + bytes.length + " bytes (" + (bytes.length < expectedLength ? "truncated" : "extra data at the end")
                    + ").", null);
        }
        byte[] payload = java.util.Arrays.copyOfRange(bytes, headerLength, bytes.length);
        if (!images) {
            for (int i = 0; i < payload.length; i++) {
                int label = payload[i] & 0xff;
                if (label >= CLASSES) {
                    throw new IdxFormatException(path, "labels must be 0 to " + (CLASSES - 1) + ", found " + label
                            + " at index " + i + ".", null);
                }
            }
        }
        return new IdxFile(path, magic, count, rows, cols, payload, gzipped, sha256(bytes));
    }

    private static String describe(int magic) {
        return switch (magic) {
            case IMAGES_MAGIC -> " (images)";
            case LABELS_MAGIC -> " (labels)";
            default -> " (0x" + Integer.toHexString(magic) + ", not a Fashion-MNIST IDX file)";
        };
    }

    /** SHA-256 of the given bytes as lower-case hex. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
