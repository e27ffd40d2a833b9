package io.github.moderncnns.architectures;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes an array in NumPy's {@code .npy} format, version 1.0: the magic string, a Python-dict header padded to a
 * multiple of 64 bytes, then the values little-endian in C order. Written here rather than with ND4J's
 * {@code Nd4j.toNpyByteArray} so that 0-d arrays (PyTorch's {@code num_batches_tracked}) and the byte order are
 * exactly what {@code numpy.load} expects.
 */
final class NpyEncoder {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

    private NpyEncoder() {
    }

    /**
     * @param array a FLOAT, DOUBLE or LONG array of any rank, 0 included
     * @return its {@code .npy} bytes
     * @throws IllegalArgumentException for another data type
     */
    static byte[] encode(INDArray array) {
        String descr = switch (array.dataType()) {
            case FLOAT -> "<f4";
            case DOUBLE -> "<f8";
            case LONG -> "<i8";
            default -> throw new IllegalArgumentException("cannot write " + array.dataType() + " arrays as .npy; "
                    + "expected FLOAT, DOUBLE or LONG");
        };
        long[] shape = array.shape();
        String dims = shape.length == 1 ? shape[0] + ","
                : Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
                + dims + "), }");
        int unpadded = MAGIC.length + 2 + header.length() + 1;
        header.append(" ".repeat((64 - unpadded % 64) % 64)).append('\n');
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        int width = descr.charAt(2) == '4' ? 4 : 8;
        long length = array.length();
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(MAGIC.length + 2 + headerBytes.length + length * width))
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putShort((short) headerBytes.length).put(headerBytes);
        INDArray flat = array.dup('c').reshape(new long[] {length}); // C order, as the header says
        switch (array.dataType()) {
            case FLOAT -> out.asFloatBuffer().put(flat.toFloatVector());
            case DOUBLE -> out.asDoubleBuffer().put(flat.toDoubleVector());
            default -> out.asLongBuffer().put(flat.toLongVector());
        }
        return out.array();
    }
}
