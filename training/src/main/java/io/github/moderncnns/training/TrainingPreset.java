package io.github.moderncnns.training;

import io.github.moderncnns.architectures.NotebookModel;

/**
 * The notebook's hyper-parameters for one network: {@code batch_size, lr, num_epochs} and the {@code resize}
 * argument of {@code load_data_fashion_mnist()}. Every field can be overridden with the {@code with} methods.
 *
 * @param model the network
 * @param batchSize images per minibatch
 * @param learningRate SGD learning rate
 * @param epochs training epochs
 * @param resize input side in pixels (28 means no resizing)
 */
public record TrainingPreset(NotebookModel model, int batchSize, double learningRate, int epochs, int resize) {

    /** Validates the values. */
    public TrainingPreset {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, found " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, found " + learningRate);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, found " + epochs);
        }
        if (resize < 1) {
            throw new IllegalArgumentException("resize must be at least 1 pixel, found " + resize);
        }
        long values = (long) batchSize * resize * resize;
        if (values > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "a minibatch of %,d images of "
                    + "%dx%d pixels has %,d values, more than the %,d an array index reaches; lower the batch size "
                    + "or the resize", batchSize, resize, resize, values, Integer.MAX_VALUE));
        }
    }

    /**
     * The notebook's settings for a network: AlexNet 128 / 0.01 / 5 / 224; VGG-11 (and small) 128 / 0.05 / 5 / 224;
     * BN-LeNet 256 / 1.0 / 10 / 28; ResNet-18 256 / 0.05 / 5 / 96.
     *
     * @param model the network
     * @return its preset
     */
    public static TrainingPreset of(NotebookModel model) {
        return switch (model) {
            case ALEXNET -> new TrainingPreset(model, 128, 0.01, 5, 224);
            case VGG11, VGG11_SMALL -> new TrainingPreset(model, 128, 0.05, 5, 224);
            case LENET_BN -> new TrainingPreset(model, 256, 1.0, 10, 28);
            case RESNET18 -> new TrainingPreset(model, 256, 0.05, 5, 96);
        };
    }

    /**
     * @param value the batch size
     * @return a copy with it
     */
    public TrainingPreset withBatchSize(int value) {
        return new TrainingPreset(model, value, learningRate, epochs, resize);
    }

    /**
     * @param value the learning rate
     * @return a copy with it
     */
    public TrainingPreset withLearningRate(double value) {
        return new TrainingPreset(model, batchSize, value, epochs, resize);
    }

    /**
     * @param value the number of epochs
     * @return a copy with it
     */
    public TrainingPreset withEpochs(int value) {
        return new TrainingPreset(model, batchSize, learningRate, value, resize);
    }

    /**
     * @param value the input side
     * @return a copy with it
     */
    public TrainingPreset withResize(int value) {
        return new TrainingPreset(model, batchSize, learningRate, epochs, value);
    }
}
