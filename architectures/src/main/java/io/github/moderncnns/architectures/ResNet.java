package io.github.moderncnns.architectures;

import java.util.Arrays;
import org.nd4j.linalg.activations.Activation;

/**
 * ResNet (He, Zhang, Ren and Sun, 2015, <a href="https://arxiv.org/abs/1512.03385">arXiv:1512.03385</a>;
 * <a href="https://d2l.ai/chapter_convolutional-modern/resnet.html">d2l.ai 8.6</a>) as the notebook builds it: a
 * 7x7/2 convolution with BN, ReLU and a 3x3/2 max pool, four stages of {@link ResidualBlock}s with 64, 128, 256 and
 * 512 channels (the first block of stages 3 to 5 halves the resolution through a strided 1x1 shortcut), global
 * average pooling and a dense output. ResNet-18 (two blocks per stage) has 11,178,378 trainable parameters.
 *
 * <pre>{@code
 * Architecture resnet18 = ResNet.builder().build();                        // 96x96 input, as trained
 * Architecture resnet34ish = ResNet.builder().optBlocks(3, 4, 6, 3).build();
 * Architecture small = ResNet.builder().optStem(ResNet.Stem.SMALL_IMAGES).optInputSize(28).build();
 * }</pre>
 */
public final class ResNet extends CnnBuilder<ResNet> {
    private static final int[] CHANNELS = {64, 128, 256, 512};
    private int[] blocks = {2, 2, 2, 2};
    private Stem stem = Stem.NOTEBOOK;

    /** The layers before the residual stages. */
    public enum Stem {
        /** The notebook's (and ImageNet's): 7x7/2 convolution, BN, ReLU, 3x3/2 max pool; a quarter of the side left. */
        NOTEBOOK,
        /**
         * A 3x3/1 convolution, BN, ReLU and no pooling, as ResNets for 32-pixel CIFAR images have it: the stages see
         * the full 28x28 Fashion-MNIST image (16 times the positions of the notebook's stem at 28), without
         * resizing it to 96 first. 2,560 fewer weights (64 x (49 - 9)).
         */
        SMALL_IMAGES
    }

    private ResNet() {
        super(96, 0);
    }

    /** A ResNet-18 builder with the notebook's training settings (96x96x1 input, 10 classes, SGD at 0.05). */
    public static ResNet builder() {
        return new ResNet();
    }

    /**
     * @param blocks the number of residual blocks in each of the four stages (default 2, 2, 2, 2: ResNet-18)
     * @return this builder
     */
    public ResNet optBlocks(int... blocks) {
        if (blocks.length != CHANNELS.length || Arrays.stream(blocks).anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("expected 4 stages of at least 1 block each, found "
                    + Arrays.toString(blocks));
        }
        this.blocks = blocks.clone();
        return this;
    }

    /**
     * @param stem the layers before the residual stages (default {@link Stem#NOTEBOOK})
     * @return this builder
     */
    public ResNet optStem(Stem stem) {
        this.stem = java.util.Objects.requireNonNull(stem, "stem");
        return this;
    }

    @Override
    protected String name() {
        String name = Arrays.equals(blocks, new int[] {2, 2, 2, 2}) ? "ResNet-18" : "ResNet" + Arrays.toString(blocks);
        return stem == Stem.NOTEBOOK ? name : name + " (3x3 stem)";
    }

    @Override
    public double notebookLearningRate() {
        return 0.05;
    }

    @Override
    protected void addLayers(LayerStack stack) {
        // b1
        if (stem == Stem.NOTEBOOK) {
            stack.conv("conv1", "0.0", 64, 7, 2, 3, Activation.IDENTITY)
                    .batchNorm("bn1", "0.1", Activation.RELU, "relu1").maxPool("pool1", 3, 2, 1);
        } else {
            stack.conv("conv1", "0.0", 64, 3, 1, 1, Activation.IDENTITY)
                    .batchNorm("bn1", "0.1", Activation.RELU, "relu1");
        }
        // b2..b5: resnet_block(); the first stage keeps the resolution and the channels
        for (int stage = 0; stage < CHANNELS.length; stage++) {
            for (int block = 0; block < blocks[stage]; block++) {
                boolean downsample = block == 0 && stage > 0;
                ResidualBlock.add(stack, "stage" + (stage + 2) + "_block" + (block + 1), (stage + 1) + "." + block,
                        CHANNELS[stage], downsample, downsample ? 2 : 1);
            }
        }
        stack.globalAvgPool("avgpool").output("output", "7", classes());
    }
}
