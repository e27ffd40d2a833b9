package io.github.moderncnns.data;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Turns a run of images into one DL4J minibatch: features {@code [n, 1, side, side]} as {@code ToTensor()} floats
 * (resized and augmented if asked), labels one-hot {@code [n, 10]}. Owns its scratch buffers, resizer and augmenter,
 * so it allocates nothing per image; one instance per thread.
 */
final class BatchAssembler {
    private final ImageSet images;
    private final int side;
    private final PilBilinearResizer resizer;
    private final ImageAugmenter augmenter;
    private final float[] image;

    BatchAssembler(ImageSet images, int side, Augmentation augmentation) {
        this.images = images;
        this.side = side;
        this.resizer = side == images.side() ? null : new PilBilinearResizer(images.side(), side);
        this.augmenter = augmentation.isNone() ? null : new ImageAugmenter(augmentation, side, images.side());
        this.image = new float[side * side];
    }

    /**
     * Whether arrays can be filled in place through their host buffer: true on the CPU backend, where that buffer
     * is the array's only copy (several times faster than {@code Nd4j.create(float[])}).
     */
    static boolean canWriteInPlace() {
        return Nd4j.getEnvironment().isCPU();
    }

    /** Allocates the arrays of a full batch, to be filled again and again by {@link #assembleInto}. */
    INDArray[] allocate(int batchSize) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return new INDArray[] {Nd4j.createUninitialized(DataType.FLOAT, batchSize, 1, side, side),
                Nd4j.createUninitialized(DataType.FLOAT, batchSize, IdxReader.CLASSES)};
        }
    }

    /**
     * A batch in new arrays.
     *
     * @param order positions in the image set for this epoch, or {@code null} for 0, 1, 2, ...
     * @param from the first position in {@code order}
     * @param count how many images
     * @param epochSeed the epoch's augmentation seed (see {@link #imageSeed}); unused without augmentation
     */
    DataSet assemble(int[] order, int from, int count, long epochSeed) {
        if (canWriteInPlace()) {
            return assembleInto(order, from, count, epochSeed, allocate(count));
        }
        int pixels = side * side;
        float[] features = new float[count * pixels];
        float[] labels = new float[count * IdxReader.CLASSES];
        for (int i = 0; i < count; i++) {
            int position = order == null ? from + i : order[from + i];
            toFloats(position, features, i * pixels, epochSeed);
            labels[i * IdxReader.CLASSES + images.label(position)] = 1f;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return dataSet(Nd4j.create(features, new long[] {count, 1, side, side}, 'c'),
                    Nd4j.create(labels, new long[] {count, IdxReader.CLASSES}, 'c'));
        }
    }

    /**
     * A batch written into existing arrays (CPU backend only): the first {@code count} rows of {@code arrays}
     * ({@link #allocate}'s features and labels).
     */
    DataSet assembleInto(int[] order, int from, int count, long epochSeed, INDArray[] arrays) {
        INDArray features = arrays[0];
        INDArray labels = arrays[1];
        FloatBuffer featureBuffer = features.data().asNioFloat();
        float[] oneHot = new float[count * IdxReader.CLASSES];
        for (int i = 0; i < count; i++) {
            int position = order == null ? from + i : order[from + i];
            toFloats(position, image, 0, epochSeed);
            featureBuffer.put(image, 0, image.length);
            oneHot[i * IdxReader.CLASSES + images.label(position)] = 1f;
        }
        labels.data().asNioFloat().put(oneHot);
        if (count < features.size(0)) {
            features = features.get(NDArrayIndex.interval(0, count), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all());
            labels = labels.get(NDArrayIndex.interval(0, count), NDArrayIndex.all());
        }
        return dataSet(features, labels);
    }

    private static DataSet dataSet(INDArray features, INDArray labels) {
        DataSet batch = new DataSet(features, labels);
        batch.setLabelNames(FashionMnist.CLASS_NAMES);
        return batch;
    }

    /**
     * The seed of one image's augmentation in one epoch: a function of the two alone, so that every image of every
     * epoch has its own random numbers whichever batch or thread prepares it.
     */
    static long imageSeed(long epochSeed, int position) {
        return FashionMnistIterator.mix(epochSeed + FashionMnistIterator.GOLDEN_GAMMA * (position + 1L));
    }

    private void toFloats(int position, float[] target, int offset, long epochSeed) {
        byte[] source = images.pixelArray();
        int start = images.pixelOffset(position);
        if (augmenter != null) {
            augmenter.plan(imageSeed(epochSeed, position));
        }
        if (resizer != null) {
            if (augmenter == null) {
                resizer.resize(source, start, target, offset);
            } else {
                augmenter.fromResized(resizer, source, start, target, offset);
            }
        } else if (augmenter != null) {
            augmenter.fromBytes(source, start, target, offset);
        } else {
            for (int p = 0, n = side * side; p < n; p++) {
                target[offset + p] = (source[start + p] & 0xff) / 255f;
            }
        }
    }
}
