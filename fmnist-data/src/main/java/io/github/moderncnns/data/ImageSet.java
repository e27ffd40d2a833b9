package io.github.moderncnns.data;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable, indexable set of 28x28 grayscale images with their labels: a whole Fashion-MNIST file pair, or a
 * view of some of its images (a split, a shuffled order, a limit) that shares the pixel bytes without copying them.
 *
 * <p>Pixels are the raw unsigned bytes (0-255, row-major); labels are class numbers 0-9 (see
 * {@link FashionMnist#CLASS_NAMES}). This is the raw-array access for users who build their own pipeline;
 * {@link FashionMnistIterator} turns an image set into DL4J minibatches.
 */
public final class ImageSet {
    private final byte[] pixels;
    private final byte[] labels;
    private final int side;
    /** Indices into {@code pixels}/{@code labels}, or {@code null} for all of them in order. */
    private final int[] indices;

    private ImageSet(byte[] pixels, byte[] labels, int side, int[] indices) {
        this.pixels = pixels;
        this.labels = labels;
        this.side = side;
        this.indices = indices;
    }

    /**
     * Wraps image and label bytes (not copied: do not modify them afterwards).
     *
     * @param pixels {@code labels.length * side * side} bytes, image after image, row-major
     * @param labels one class number 0-9 per image
     * @param side the image side in pixels
     * @return the image set
     * @throws IllegalArgumentException if the lengths disagree or a label is out of range
     */
    public static ImageSet of(byte[] pixels, byte[] labels, int side) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (side <= 0 || (long) labels.length * side * side != pixels.length) {
            throw new IllegalArgumentException("expected " + labels.length + " images of " + side + "x" + side
                    + " = " + (long) labels.length * side * side + " pixel bytes, found " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xff) >= IdxReader.CLASSES) {
                throw new IllegalArgumentException("label " + (labels[i] & 0xff) + " at index " + i + " is not 0-9");
            }
        }
        return new ImageSet(pixels, labels, side, null);
    }

    /** The number of images. */
    public int size() {
        return indices == null ? labels.length : indices.length;
    }

    /** The image side in pixels (28 for Fashion-MNIST). */
    public int side() {
        return side;
    }

    /**
     * The label (class number 0-9) of image {@code i}.
     *
     * @param i the image's position in this set
     * @return its class number
     */
    public int label(int i) {
        return labels[sourceIndex(i)] & 0xff;
    }

    /**
     * The position of image {@code i} in the underlying file (for a split: the index PyTorch's {@code random_split}
     * reports).
     *
     * @param i the image's position in this set
     * @return its index in the file it came from
     */
    public int sourceIndex(int i) {
        Objects.checkIndex(i, size());
        return indices == null ? i : indices[i];
    }

    /**
     * A copy of image {@code i}'s pixels.
     *
     * @param i the image's position in this set
     * @return {@code side * side} bytes, row-major
     */
    public byte[] image(int i) {
        int offset = pixelOffset(i);
        return Arrays.copyOfRange(pixels, offset, offset + side * side);
    }

    /**
     * Where image {@code i} starts in {@link #pixelBuffer()}.
     *
     * @param i the image's position in this set
     * @return the byte offset of its first pixel
     */
    public int pixelOffset(int i) {
        return sourceIndex(i) * side * side;
    }

    /** A read-only view of all the underlying pixel bytes (of the whole file, not only of this view). */
    public ByteBuffer pixelBuffer() {
        return ByteBuffer.wrap(pixels).asReadOnlyBuffer();
    }

    /** The labels of this set, in order, as a new array. */
    public int[] labels() {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = label(i);
        }
        return out;
    }

    /** How many images of each class this set holds, indexed by class number. */
    public int[] classCounts() {
        int[] counts = new int[IdxReader.CLASSES];
        for (int i = 0, n = size(); i < n; i++) {
            counts[label(i)]++;
        }
        return counts;
    }

    /**
     * A view of some of this set's images, in the given order.
     *
     * @param positions positions in this set (copied)
     * @return the view
     * @throws IndexOutOfBoundsException if a position is outside this set
     */
    public ImageSet select(int[] positions) {
        int[] mapped = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            mapped[i] = sourceIndex(positions[i]);
        }
        return new ImageSet(pixels, labels, side, mapped);
    }

    /**
     * The first {@code n} images of this set (all of them if it has fewer).
     *
     * @param n the maximum number of images, at least 0
     * @return the view
     */
    public ImageSet limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be at least 0, found " + n);
        }
        if (n >= size()) {
            return this;
        }
        int[] positions = new int[n];
        Arrays.setAll(positions, i -> i);
        return select(positions);
    }

    /** Copies image {@code i}'s pixels into {@code target} at {@code offset}, with no allocation. */
    void copyImage(int i, byte[] target, int offset) {
        System.arraycopy(pixels, pixelOffset(i), target, offset, side * side);
    }

    /** The underlying pixel array, for the allocation-free batch assembly in this package. */
    byte[] pixelArray() {
        return pixels;
    }
}
