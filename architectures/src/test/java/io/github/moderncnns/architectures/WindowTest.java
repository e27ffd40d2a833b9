package io.github.moderncnns.architectures;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kernels' window geometry on the notebook's windows: PyTorch's output sizes, and which windows tile in pairs. */
class WindowTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "AlexNet's first max pool (3x3/2 at 54), 3, 2, 0, 54, 26, false",
        "ResNet-18's stem convolution (7x7/2 pad 3 at 96), 7, 2, 3, 96, 48, false",
        "ResNet-18's stem max pool (3x3/2 pad 1 at 48), 3, 2, 1, 48, 24, false",
        "VGG's max pool (2x2/2 at 224), 2, 2, 0, 224, 112, true",
        "BN-LeNet's second average pool (2x2/2 at 8), 2, 2, 0, 8, 4, true",
        "an odd plane (2x2/2 at 7 drops the last row), 2, 2, 0, 7, 3, true",
    })
    void outputSizeAndPairs(String window, int kernel, int stride, int padding, int in, int out, boolean pairs) {
        Window w = Window.of(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding});

        assertThat(w.outputHeight(in)).isEqualTo(out);
        assertThat(w.outputWidth(in)).isEqualTo(out);
        assertThat(w.isPairs()).isEqualTo(pairs);
    }

    @ParameterizedTest
    @CsvSource({"3, 2, 1, 2, 1, 0, 10, 10, 5", "5, 1, 2, 1, 0, 0, 10, 3, 10"})
    void heightAndWidthAreIndependent(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, int in,
            int outH, int outW) {
        Window w = new Window(kernelH, kernelW, strideH, strideW, padH, padW);

        assertThat(w.outputHeight(in)).isEqualTo(outH);
        assertThat(w.outputWidth(in)).isEqualTo(outW);
    }
}
