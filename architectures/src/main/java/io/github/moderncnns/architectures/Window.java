package io.github.moderncnns.architectures;

/**
 * The window a convolution or pooling slides over a plane: kernel, stride and padding, each as height and width.
 * One value for the project's kernels ({@link PoolingKernel}, {@link ConvolutionWeightGradient}), which take their
 * geometry from DL4J's [height, width] arrays; no dilation (neither kernel takes it).
 *
 * @param kernelH the kernel's height
 * @param kernelW the kernel's width
 * @param strideH the vertical stride
 * @param strideW the horizontal stride
 * @param padH    zero rows added above and below
 * @param padW    zero columns added left and right
 */
record Window(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {

    /**
     * @param kernel  [height, width], as DL4J's layer configurations hold it
     * @param stride  [height, width]
     * @param padding [height, width]
     * @return the window
     */
    static Window of(int[] kernel, int[] stride, int[] padding) {
        return new Window(kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1]);
    }

    /** The output height for an input height, with PyTorch's (and DL4J's truncate mode's) floor arithmetic. */
    long outputHeight(long inH) {
        return (inH + 2L * padH - kernelH) / strideH + 1;
    }

    /** The output width for an input width, as {@link #outputHeight}. */
    long outputWidth(long inW) {
        return (inW + 2L * padW - kernelW) / strideW + 1;
    }

    /** Whether this is a 2x2 window with stride 2 and no padding: VGG's max pools, BN-LeNet's average pools. */
    boolean isPairs() {
        return kernelH == 2 && kernelW == 2 && strideH == 2 && strideW == 2 && padH == 0 && padW == 0;
    }
}
