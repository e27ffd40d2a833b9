package io.github.moderncnns.architectures;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The configuration of DL4J's {@link SubsamplingLayer} (same fields, same JSON) whose runtime layer is a
 * {@link FastSubsamplingLayer}: max and average pooling through {@link PoolingKernel}, 3-7x faster than libnd4j's
 * pooling ops at VGG's sizes. Saved graphs name this class, so loading them needs this library on the class path, as
 * our model files do anyway.
 */
public class FastSubsampling extends SubsamplingLayer {

    /** For JSON. */
    public FastSubsampling() {
        super();
    }

    /** @param builder DL4J's builder, with the pooling type, kernel, stride, padding and mode set */
    public FastSubsampling(SubsamplingLayer.Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return RuntimeLayers.wire(new FastSubsamplingLayer(conf, networkDataType), conf, trainingListeners, layerIndex,
                layerParamsView, initializeParams);
    }
}
