package io.github.moderncnns.architectures;

import java.util.Objects;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * What the four architectures' builders share: the settings every network takes (seed, updater, input size,
 * classes, input channels, dropout, data type, cache mode) and the assembly of a {@link ComputationGraphConfiguration} around the layers a
 * subclass adds. Every setting is optional ({@code optX}); the defaults are the notebook's.
 *
 * @param <B> the concrete builder, so that the fluent {@code optX} calls keep its type
 */
public abstract class CnnBuilder<B extends CnnBuilder<B>> {
    /** The graph's input vertex name. */
    public static final String INPUT = "input";

    private long seed = 42;
    private IUpdater updater;
    private int inputSize;
    private int classes = 10;
    private int channels = 1;
    private double dropout;
    private DataType dataType = DataType.FLOAT;
    private CacheMode cacheMode = CacheMode.DEVICE;
    private Regularization regularization;
    private boolean fastLayers = true;

    /**
     * @param inputSize the default input side in pixels
     * @param dropout the default dropout probability (PyTorch's {@code p}) of the dense layers, 0 for none
     */
    protected CnnBuilder(int inputSize, double dropout) {
        this.inputSize = inputSize;
        this.dropout = dropout;
    }

    /** The network's name, e.g. {@code AlexNet}. */
    protected abstract String name();

    /** The notebook's learning rate for this network, the default of {@link #optUpdater}. */
    public abstract double notebookLearningRate();

    /** Adds the network's layers after the input vertex. */
    protected abstract void addLayers(LayerStack stack);

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * @param seed the seed of the weight initialisation (default 42, the notebook's {@code torch.manual_seed})
     * @return this builder
     */
    public B optSeed(long seed) {
        this.seed = seed;
        return self();
    }

    /**
     * @param updater the optimiser (default: plain SGD at {@link #notebookLearningRate()}, no momentum, no weight
     *                decay, as {@code torch.optim.SGD(net.parameters(), lr=lr)})
     * @return this builder
     */
    public B optUpdater(IUpdater updater) {
        this.updater = Objects.requireNonNull(updater, "updater");
        return self();
    }

    /**
     * @param inputSize the side of the square input images in pixels
     * @return this builder
     */
    public B optInputSize(int inputSize) {
        if (inputSize < 1) {
            throw new IllegalArgumentException("input size must be at least 1, found " + inputSize);
        }
        this.inputSize = inputSize;
        return self();
    }

    /**
     * @param classes the number of output classes (default 10, Fashion-MNIST)
     * @return this builder
     */
    public B optClasses(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2, found " + classes);
        }
        this.classes = classes;
        return self();
    }

    /**
     * @param channels the number of input channels (default 1, grayscale)
     * @return this builder
     */
    public B optChannels(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be at least 1, found " + channels);
        }
        this.channels = channels;
        return self();
    }

    /**
     * @param dropout the dropout probability of the dense layers, as PyTorch's {@code nn.Dropout(p)} (0 turns it
     *                off; networks without dropout ignore it)
     * @return this builder
     */
    public B optDropout(double dropout) {
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1), found " + dropout);
        }
        this.dropout = dropout;
        return self();
    }

    /**
     * @param dataType the parameters' and activations' type (default FLOAT, as PyTorch's default; DOUBLE for
     *                 numerical checks)
     * @return this builder
     */
    public B optDataType(DataType dataType) {
        if (!dataType.isFPType()) {
            throw new IllegalArgumentException("the data type must be a floating-point type, found " + dataType);
        }
        this.dataType = dataType;
        return self();
    }

    /**
     * @param cacheMode what DL4J keeps from the forward pass for backprop (default DEVICE: convolution layers keep
     *                  their forward results instead of recomputing them, faster at the cost of memory; NONE
     *                  recomputes; see docs/performance.md for what each costs on these networks)
     * @return this builder
     */
    public B optCacheMode(CacheMode cacheMode) {
        this.cacheMode = Objects.requireNonNull(cacheMode, "cacheMode");
        return self();
    }

    /**
     * @param regularization weight decay for the weights and biases of every layer, e.g. DL4J's
     *                       {@code L2Regularization} (PyTorch's {@code weight_decay} of SGD and Adam: added to the
     *                       gradient) or {@code WeightDecay(coefficient, true)} (AdamW's: applied after the updater);
     *                       default none, as the notebook. Batch-norm scale and shift are not decayed.
     * @return this builder
     */
    public B optRegularization(Regularization regularization) {
        this.regularization = Objects.requireNonNull(regularization, "regularization");
        return self();
    }

    /**
     * @param fastLayers whether the graph uses the project's layers (the default): batch norm through the
     *                    project's kernel with the activation after it fused in ({@link FastBatchNormalization};
     *                    1.2x faster training for ResNet-18 and BN-LeNet, docs/performance.md) and a residual
     *                    block's sum and ReLU as one vertex ({@link ResidualAddRelu}), max and average pooling
     *                    through the project's kernel ({@link FastSubsampling}; VGG-11 small trains 1.47x
     *                    faster), the first convolution without the gradient at the network's input
     *                    ({@link InputConvolution}); or DL4J's layer and vertex classes ({@code BatchNormalization},
     *                    {@code ActivationLayer}, {@code ElementWiseVertex}, {@code SubsamplingLayer},
     *                    {@code ConvolutionLayer}), the reference the project's layers are tested and benchmarked
     *                    against, and the choice for whoever needs the input gradient. Same parameters either way;
     *                    both configurations name this library's weight initializer, so loading either needs this
     *                    library.
     * @return this builder
     */
    public B optFastLayers(boolean fastLayers) {
        this.fastLayers = fastLayers;
        return self();
    }

    /** The number of output classes. */
    protected int classes() {
        return classes;
    }

    /** The dropout probability of the dense layers. */
    protected double dropout() {
        return dropout;
    }

    /**
     * Builds the network.
     *
     * @return the architecture: configuration, PyTorch parameter map, summary, initialised graphs
     * @throws IllegalArgumentException if the input size is too small for the network
     */
    public Architecture build() {
        NeuralNetConfiguration.Builder network = new NeuralNetConfiguration.Builder();
        if (regularization != null) {
            network.regularization(java.util.List.of(regularization))
                    .regularizationBias(java.util.List.of(regularization));
        }
        GraphBuilder graph = network
                .seed(seed)
                .updater(updater != null ? updater : new Sgd(notebookLearningRate()))
                .weightInit(new PyTorchXavierUniform())
                .dataType(dataType)
                .cacheMode(cacheMode)
                .graphBuilder()
                .addInputs(INPUT);
        LayerStack stack = new LayerStack(graph, INPUT, fastLayers);
        addLayers(stack);
        InputType input = InputType.convolutional(inputSize, inputSize, channels);
        ComputationGraphConfiguration configuration;
        try {
            configuration = graph.setOutputs(stack.current()).setInputTypes(input).build();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name() + " cannot take " + inputSize + "x" + inputSize
                    + " input: " + e.getMessage(), e);
        }
        // DL4J only warns when a layer's output shrinks to nothing; refuse it
        java.util.Map<String, InputType> types = configuration.clone().getLayerActivationTypes(true, input);
        configuration.getVertices().keySet().forEach(vertex -> {
            if (types.get(vertex) instanceof InputType.InputTypeConvolutional conv
                    && (conv.getHeight() < 1 || conv.getWidth() < 1)) {
                throw new IllegalArgumentException(name() + " cannot take " + inputSize + "x" + inputSize
                        + " input: " + vertex + " would output " + conv.getChannels() + "x" + conv.getHeight() + "x"
                        + conv.getWidth() + "; use a larger input size");
            }
        });
        return new Architecture(name(), configuration, input, stack.torchParameters(), seed);
    }
}
