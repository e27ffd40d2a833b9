package io.github.moderncnns.data;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a run of images into one DL4J minibatch: features {@code [n, 1, side, side]} as {@code ToTensor()} floats
 * (resized if asked), labels one-hot {@code [n, 10]}. Owns its scratch buffers and resizer, so it allocates nothing
 * per image; one instance per thread.
 */
final class BatchAssembler {
    private final ImageSet images;
    private final int side;
    private final PilBilinearResizer resizer;
    private final float[] image;
    private final boolean directWrite;

    BatchAssembler(ImageSet images, int side) {
        this.images = images;
        this.side = side;
        this.resizer = side == images.side() ? null : new PilBilinearResizer(images.side(), side);
        this.image = new float[side * side];
        // On the CPU backend the array's host buffer is its only copy: writing it directly is several times faster
        // than Nd4j.create(float[]). Other backends get the portable path.
        this.directWrite = Nd4j.getEnvironment().isCPU();
    }

    /**
     * @param order positions in the image set for this epoch, or {@code null} for 0, 1, 2, ...
     * @param from the first position in {@code order}
     * @param count how many images
     */
    DataSet assemble(int[] order, int from, int count) {
        int pixels = side * side;
        float[] labels = new float[count * IdxReader.CLASSES];
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray features;
            if (directWrite) {
                features = Nd4j.createUninitialized(DataType.FLOAT, count, 1, side, side);
                FloatBuffer buffer = features.data().asNioFloat();
                for (int i = 0; i < count; i++) {
                    int position = order == null ? from + i : order[from + i];
                    toFloats(position, image, 0);
                    buffer.put(image, 0, pixels);
                    labels[i * IdxReader.CLASSES + images.label(position)] = 1f;
                }
            } else {
                float[] all = new float[count * pixels];
                for (int i = 0; i < count; i++) {
                    int position = order == null ? from + i : order[from + i];
                    toFloats(position, all, i * pixels);
                    labels[i * IdxReader.CLASSES + images.label(position)] = 1f;
                }
                features = Nd4j.create(all, new long[] {count, 1, side, side}, 'c');
            }
            INDArray labelArray = Nd4j.create(labels, new long[] {count, IdxReader.CLASSES}, 'c');
            DataSet batch = new DataSet(features, labelArray);
            batch.setLabelNames(FashionMnist.CLASS_NAMES);
            return batch;
        }
    }

    private void toFloats(int position, float[] target, int offset) {
        byte[] source = images.pixelArray();
        int start = images.pixelOffset(position);
        if (resizer != null) {
            resizer.resize(source, start, target, offset);
        } else {
            for (int p = 0, n = side * side; p < n; p++) {
                target[offset + p] = (source[start + p] & 0xff) / 255f;
            }
        }
    }
}
