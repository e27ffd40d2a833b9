package io.github.moderncnns.architectures;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * DL4J's convolution layer for a network's first layer: where DL4J gave it the oneDNN helper, an
 * {@link InputConvolutionHelper} takes its place, which keeps oneDNN's forward pass and computes the backward pass
 * without the gradient at the network's input. Anywhere else (helpers off, no oneDNN, not the CPU) the layer is
 * DL4J's own.
 */
public class InputConvolutionLayer extends ConvolutionLayer {

    /**
     * @param conf the layer's configuration
     * @param dataType the network's data type
     */
    public InputConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        if (helper instanceof MKLDNNConvHelper oneDnn) {
            helper = new InputConvolutionHelper(oneDnn, layerConf());
        }
    }
}
