package io.github.moderncnns.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Small IDX files made in the tests, valid or broken on purpose. */
final class SyntheticIdx {
    private SyntheticIdx() {
    }

    /** An image file: {@code count} 28x28 images whose pixel p of image i is {@code (i * 7 + p) % 256}. */
    static byte[] images(int count) {
        return images(count, 28, 28);
    }

    static byte[] images(int count, int rows, int cols) {
        ByteBuffer buffer = ByteBuffer.allocate(16 + count * rows * cols);
        buffer.putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < rows * cols; p++) {
                buffer.put((byte) ((i * 7 + p) % 256));
            }
        }
        return buffer.array();
    }

    /** A label file: label i is {@code i % 10}. */
    static byte[] labels(int count) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + count);
        buffer.putInt(IdxReader.LABELS_MAGIC).putInt(count);
        for (int i = 0; i < count; i++) {
            buffer.put((byte) (i % 10));
        }
        return buffer.array();
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(raw);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a complete synthetic dataset (gzip-compressed, like the published one) into {@code directory}. */
    static Path dataset(Path directory, int trainCount, int testCount) {
        write(directory.resolve(FashionMnistFile.TRAIN_IMAGES.gzipFileName()), gzip(images(trainCount)));
        write(directory.resolve(FashionMnistFile.TRAIN_LABELS.gzipFileName()), gzip(labels(trainCount)));
        write(directory.resolve(FashionMnistFile.TEST_IMAGES.gzipFileName()), gzip(images(testCount)));
        write(directory.resolve(FashionMnistFile.TEST_LABELS.gzipFileName()), gzip(labels(testCount)));
        return directory;
    }
}
