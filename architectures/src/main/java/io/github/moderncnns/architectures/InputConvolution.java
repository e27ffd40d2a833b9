package io.github.moderncnns.architectures;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The configuration of DL4J's {@link ConvolutionLayer} (same fields, same JSON) for a network's first layer: its
 * runtime layer, an {@link InputConvolutionLayer}, computes no gradient at the network's input, which training never
 * reads. That gradient is most of the first layer's backward pass (docs/performance.md). The price: a graph built
 * with it returns no input gradient from {@code ComputationGraph.backpropGradient} (for saliency maps, build the
 * network with {@code optFastLayers(false)}). Saved graphs name this class, so loading them needs this library on
 * the class path, as our model files do anyway.
 */
public class InputConvolution extends ConvolutionLayer {

    /** For JSON. */
    public InputConvolution() {
        super();
    }

    /** @param builder DL4J's builder, with kernel, stride, padding, mode, outputs and activation set */
    public InputConvolution(ConvolutionLayer.Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return RuntimeLayers.wire(new InputConvolutionLayer(conf, networkDataType), conf, trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }
}
