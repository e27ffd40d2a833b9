package io.github.moderncnns.architectures;

import org.nd4j.linalg.activations.Activation;

/**
 * LeNet-5 with batch normalization (LeCun et al., 1998; Ioffe and Szegedy, 2015,
 * <a href="https://arxiv.org/abs/1502.03167">arXiv:1502.03167</a>;
 * <a href="https://d2l.ai/chapter_convolutional-modern/batch-norm.html">d2l.ai 8.5</a>) as the notebook's
 * {@code nn.Sequential}: batch normalization after each convolution and dense layer, before the sigmoid, for 28x28
 * input; 44,878 trainable parameters.
 */
public final class BatchNormLeNet extends CnnBuilder<BatchNormLeNet> {
    private BatchNormLeNet() {
        super(28, 0);
    }

    /** A builder with the notebook's settings (28x28x1 input, 10 classes, SGD at 1.0). */
    public static BatchNormLeNet builder() {
        return new BatchNormLeNet();
    }

    @Override
    protected String name() {
        return "BatchNorm-LeNet";
    }

    @Override
    public double notebookLearningRate() {
        return 1.0;
    }

    @Override
    protected void addLayers(LayerStack stack) {
        stack.conv("conv1", "0", 6, 5, 1, 0, Activation.IDENTITY)
                .batchNorm("bn1", "1", Activation.SIGMOID, "sigmoid1").avgPool("pool1", 2, 2)
                .conv("conv2", "4", 16, 5, 1, 0, Activation.IDENTITY)
                .batchNorm("bn2", "5", Activation.SIGMOID, "sigmoid2").avgPool("pool2", 2, 2)
                .dense("fc1", "9", 120, Activation.IDENTITY).batchNorm("bn3", "10", Activation.SIGMOID, "sigmoid3")
                .dense("fc2", "12", 84, Activation.IDENTITY).batchNorm("bn4", "13", Activation.SIGMOID, "sigmoid4")
                .output("output", "15", classes());
    }
}
