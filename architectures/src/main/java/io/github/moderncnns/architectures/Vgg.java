package io.github.moderncnns.architectures;

import java.util.List;
import org.nd4j.linalg.activations.Activation;

/**
 * VGG (Simonyan and Zisserman, 2014, <a href="https://arxiv.org/abs/1409.1556">arXiv:1409.1556</a>;
 * <a href="https://d2l.ai/chapter_convolutional-modern/vgg.html">d2l.ai 8.2</a>) as the notebook's {@code vgg()}:
 * VGG blocks from a conv architecture list, then the dense part 4096-4096-classes with dropout.
 *
 * <pre>{@code
 * Architecture vgg11 = Vgg.builder().setConvArch(Vgg.VGG_11).build();        // 128,806,154 parameters
 * Architecture small = Vgg.builder().setConvArch(Vgg.VGG_11_SMALL).build();  // 43,093,322, the one trained
 * }</pre>
 */
public final class Vgg extends CnnBuilder<Vgg> {
    /**
     * One VGG block: {@code convs} 3x3 convolutions with padding 1 and ReLU, then a 2x2 max pool with stride 2.
     *
     * @param convs the number of convolutions
     * @param channels their output channels
     */
    public record Block(int convs, int channels) {
        /** Validates the block. */
        public Block {
            if (convs < 1 || channels < 1) {
                throw new IllegalArgumentException("a VGG block needs at least 1 convolution and 1 channel, found ("
                        + convs + ", " + channels + ")");
            }
        }
    }

    /** The notebook's {@code conv_arch}: VGG-11, 8 convolutions and 3 dense layers. */
    public static final List<Block> VGG_11 = List.of(new Block(1, 64), new Block(1, 128), new Block(2, 256),
            new Block(2, 512), new Block(2, 512));
    /** The notebook's {@code small_conv_arch}: VGG-11 with a quarter of the channels, the one it trains. */
    public static final List<Block> VGG_11_SMALL = List.of(new Block(1, 16), new Block(1, 32), new Block(2, 64),
            new Block(2, 128), new Block(2, 128));

    private List<Block> convArch;

    private Vgg() {
        super(224, 0.5);
    }

    /** A builder with the notebook's settings (224x224x1 input, 10 classes, dropout 0.5, SGD at 0.05). */
    public static Vgg builder() {
        return new Vgg();
    }

    /**
     * @param convArch the blocks, as the notebook's {@code conv_arch} tuples (required)
     * @return this builder
     */
    public Vgg setConvArch(List<Block> convArch) {
        if (convArch.isEmpty()) {
            throw new IllegalArgumentException("a VGG needs at least one block");
        }
        this.convArch = List.copyOf(convArch);
        return this;
    }

    @Override
    protected String name() {
        if (VGG_11.equals(convArch)) {
            return "VGG-11";
        }
        return VGG_11_SMALL.equals(convArch) ? "VGG-11 small" : "VGG";
    }

    @Override
    public double notebookLearningRate() {
        return 0.05;
    }

    @Override
    public Architecture build() {
        if (convArch == null) {
            throw new IllegalStateException("setConvArch(...) is required, e.g. Vgg.VGG_11 or Vgg.VGG_11_SMALL");
        }
        return super.build();
    }

    @Override
    protected void addLayers(LayerStack stack) {
        int torchIndex = 0;
        for (Block block : convArch) {
            String prefix = "block" + (torchIndex + 1);
            for (int c = 0; c < block.convs(); c++) {
                stack.conv(prefix + "_conv" + (c + 1), torchIndex + "." + (2 * c), block.channels(), 3, 1, 1,
                        Activation.RELU);
            }
            stack.maxPool(prefix + "_pool", 2, 2, 0);
            torchIndex++;
        }
        // nn.Flatten() is module torchIndex; the dense part follows
        stack.dense("fc1", Integer.toString(torchIndex + 1), 4096, Activation.RELU).dropout("dropout1", dropout())
                .dense("fc2", Integer.toString(torchIndex + 4), 4096, Activation.RELU).dropout("dropout2", dropout())
                .output("output", Integer.toString(torchIndex + 7), classes());
    }
}
