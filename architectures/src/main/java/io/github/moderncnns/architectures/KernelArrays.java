package io.github.moderncnns.architectures;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/** How the project's kernels read and write ND4J arrays: as plain float memory, element 0 at index 0. */
final class KernelArrays {
    private KernelArrays() {
    }

    /** The array itself if its memory is c-ordered from its first element on, else a copy that is. */
    static INDArray contiguous(INDArray array) {
        boolean plain = array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array) && array.offset() == 0;
        return plain ? array : array.dup('c');
    }

    /** The array's memory as floats, element 0 at index 0 (absolute indexing; no copy). */
    static FloatBuffer floats(INDArray array) {
        return array.data().asNioFloat().slice();
    }
}
