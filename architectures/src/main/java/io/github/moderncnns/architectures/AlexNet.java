package io.github.moderncnns.architectures;

import org.nd4j.linalg.activations.Activation;

/**
 * AlexNet (Krizhevsky, Sutskever and Hinton, 2012,
 * <a href="https://papers.nips.cc/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html">NeurIPS</a>;
 * <a href="https://d2l.ai/chapter_convolutional-modern/alexnet.html">d2l.ai 8.1</a>) exactly as the notebook's
 * {@code nn.Sequential}: for one 224x224 channel, 46,764,746 trainable parameters.
 *
 * <pre>{@code ComputationGraph net = AlexNet.builder().build().init();}</pre>
 */
public final class AlexNet extends CnnBuilder<AlexNet> {
    private AlexNet() {
        super(224, 0.5);
    }

    /** A builder with the notebook's settings (224x224x1 input, 10 classes, dropout 0.5, SGD at 0.01). */
    public static AlexNet builder() {
        return new AlexNet();
    }

    @Override
    protected String name() {
        return "AlexNet";
    }

    @Override
    public double notebookLearningRate() {
        return 0.01;
    }

    @Override
    protected void addLayers(LayerStack stack) {
        // A larger 11x11 window with stride 4 to shrink the 224x224 input fast, then 5x5 and three 3x3 convolutions.
        stack.conv("conv1", "0", 96, 11, 4, 1, Activation.RELU).maxPool("pool1", 3, 2, 0)
                .conv("conv2", "3", 256, 5, 1, 2, Activation.RELU).maxPool("pool2", 3, 2, 0)
                .conv("conv3", "6", 384, 3, 1, 1, Activation.RELU)
                .conv("conv4", "8", 384, 3, 1, 1, Activation.RELU)
                .conv("conv5", "10", 256, 3, 1, 1, Activation.RELU).maxPool("pool3", 3, 2, 0)
                // nn.Flatten(), then two wide dense layers, each followed by nn.Dropout(0.5)
                .dense("fc1", "14", 4096, Activation.RELU).dropout("dropout1", dropout())
                .dense("fc2", "17", 4096, Activation.RELU).dropout("dropout2", dropout())
                .output("output", "20", classes());
    }
}
