package io.github.moderncnns.architectures;

import static io.github.moderncnns.architectures.KernelArrays.contiguous;
import static io.github.moderncnns.architectures.KernelArrays.floats;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The gradients of a convolution's weights and bias, without the gradient at its input: for a network's first
 * layer, whose input gradient nobody reads. libnd4j's {@code conv2d_bp} always computes both (at ResNet-18's 7x7
 * stem the input gradient is most of the backward pass, as PyTorch's timing without it shows: 45 against 252 ms at
 * batch 256, 96x96). Computed one example at a time, so the unfolded patches of one image (0.45 MB at the stem)
 * are all the extra memory: the patches into a reused matrix, then one matrix product per example, accumulated,
 * through ND4J's BLAS.
 *
 * <p>Float32 NCHW arrays, PyTorch's (and DL4J's truncate mode's) floor arithmetic for the output size, any kernel,
 * stride and padding, no dilation.
 */
final class ConvolutionWeightGradient {
    private final Window window;

    /** @param window the convolution's kernel, stride and padding */
    ConvolutionWeightGradient(Window window) {
        this.window = window;
    }

    /** Whether this kernel takes these arrays: float32, rank 4, within int indexing per example. */
    static boolean takes(INDArray input, INDArray delta) {
        return input.dataType() == DataType.FLOAT && delta.dataType() == DataType.FLOAT && input.rank() == 4
                && delta.rank() == 4 && input.length() <= Integer.MAX_VALUE && delta.length() <= Integer.MAX_VALUE;
    }

    /**
     * Writes the weights' and the bias's gradient.
     *
     * @param input the layer's input, [N, C, H, W]
     * @param delta the gradient at the layer's pre-activation output, [N, O, outH, outW]
     * @param weightGradient where to write the weights' gradient, [O, C, kH, kW]
     * @param biasGradient where to write the bias's gradient, [O] or [1, O]; null for a layer without bias
     */
    void compute(INDArray input, INDArray delta, INDArray weightGradient, INDArray biasGradient) {
        INDArray x = contiguous(input);
        INDArray dy = contiguous(delta);
        int examples = (int) x.size(0);
        int channels = (int) x.size(1);
        int inH = (int) x.size(2);
        int inW = (int) x.size(3);
        int outputs = (int) dy.size(1);
        int outH = (int) dy.size(2);
        int outW = (int) dy.size(3);
        int patch = channels * window.kernelH() * window.kernelW();
        int positions = outH * outW;

        float[] image = new float[channels * inH * inW];
        float[] columns = new float[patch * positions];
        INDArray patches = Nd4j.createUninitializedDetached(DataType.FLOAT, patch, positions);
        FloatBuffer patchMemory = floats(patches);
        INDArray sum = Nd4j.createUninitializedDetached(DataType.FLOAT, outputs, patch);
        FloatBuffer in = floats(x);
        for (int n = 0; n < examples; n++) {
            in.get(n * image.length, image, 0, image.length);
            unfold(image, inH, inW, outH, outW, columns);
            patchMemory.put(0, columns, 0, columns.length);
            INDArray exampleDelta = Nd4j.create(dy.data(), new long[] {outputs, positions},
                    new long[] {positions, 1}, (long) n * outputs * positions, 'c', DataType.FLOAT);
            Nd4j.gemm(exampleDelta, patches, sum, false, true, 1.0, n == 0 ? 0.0 : 1.0);
        }
        weightGradient.assign(sum.reshape(weightGradient.shape()));
        if (biasGradient != null) {
            biasGradient.assign(dy.sum(0, 2, 3).reshape(biasGradient.shape()));
        }
        patches.close();
        sum.close();
    }

    /**
     * One image's patches as the rows of {@code columns}: row (c, i, j) holds, for each output position (y, x), the
     * input at (c, y * strideH - padH + i, x * strideW - padW + j), zero outside the image.
     */
    private void unfold(float[] image, int inH, int inW, int outH, int outW, float[] columns) {
        int channels = image.length / (inH * inW);
        int row = 0;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < window.kernelH(); i++) {
                for (int j = 0; j < window.kernelW(); j++, row++) {
                    // the output columns whose input column lies inside the image
                    int xFrom = Math.max(0, ceilDiv(window.padW() - j, window.strideW()));
                    int xTo = Math.min(outW, ceilDiv(inW + window.padW() - j, window.strideW()));
                    for (int y = 0; y < outH; y++) {
                        int to = (row * outH + y) * outW;
                        int inY = y * window.strideH() - window.padH() + i;
                        if (inY < 0 || inY >= inH || xFrom >= xTo) {
                            Arrays.fill(columns, to, to + outW, 0f);
                            continue;
                        }
                        Arrays.fill(columns, to, to + xFrom, 0f);
                        Arrays.fill(columns, to + xTo, to + outW, 0f);
                        int from = (c * inH + inY) * inW - window.padW() + j;
                        if (window.strideW() == 1) {
                            System.arraycopy(image, from + xFrom, columns, to + xFrom, xTo - xFrom);
                        } else {
                            for (int xo = xFrom; xo < xTo; xo++) {
                                columns[to + xo] = image[from + xo * window.strideW()];
                            }
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
