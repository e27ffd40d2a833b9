package io.github.moderncnns.architectures;

import org.nd4j.linalg.activations.Activation;

/**
 * The notebook's {@code Residual} module as graph vertices: conv3x3(stride) - BN - ReLU - conv3x3 - BN, added to the
 * shortcut (the input itself, or a 1x1 convolution with the same stride when the shape changes), then ReLU.
 *
 * <p>Vertices are named {@code <prefix>_conv1}, {@code _bn1} (the first ReLU fused in), {@code _conv2}, {@code _bn2},
 * {@code _shortcut} (only with the 1x1 convolution) and {@code _relu} (the sum and the last ReLU, the block's
 * output). A graph of DL4J classes only ({@code optFastLayers(false)}) has {@code _relu1} and {@code _add} as
 * vertices of their own.
 */
final class ResidualBlock {
    private ResidualBlock() {
    }

    /**
     * Adds one block after the stack's current vertex.
     *
     * @param stack where to add it
     * @param prefix the vertex name prefix, e.g. {@code stage3_block1}
     * @param torchModule the PyTorch module path, e.g. {@code 2.0}
     * @param channels the output channels
     * @param use1x1Conv whether the shortcut is a 1x1 convolution ({@code use_1x1conv})
     * @param stride the stride of the first convolution and of the shortcut ({@code strides})
     */
    static void add(LayerStack stack, String prefix, String torchModule, int channels, boolean use1x1Conv,
            int stride) {
        String input = stack.current();
        stack.conv(prefix + "_conv1", torchModule + ".conv1", channels, 3, stride, 1, Activation.IDENTITY)
                .batchNorm(prefix + "_bn1", torchModule + ".bn1", Activation.RELU, prefix + "_relu1")
                .conv(prefix + "_conv2", torchModule + ".conv2", channels, 3, 1, 1, Activation.IDENTITY)
                .batchNorm(prefix + "_bn2", torchModule + ".bn2");
        String residual = stack.current();
        String shortcut = input;
        if (use1x1Conv) {
            stack.from(input).conv(prefix + "_shortcut", torchModule + ".conv3", channels, 1, stride, 0,
                    Activation.IDENTITY);
            shortcut = stack.current();
        }
        stack.from(residual).addThenRelu(prefix + "_add", shortcut, prefix + "_relu");
    }
}
