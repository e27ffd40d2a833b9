package io.github.moderncnns.architectures;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The configuration of DL4J's {@link BatchNormalization} layer (same parameters, same JSON fields, same PyTorch
 * mapping) whose runtime layer is a {@link FastBatchNormalizationLayer}: batch norm through {@link BatchNormKernel}.
 * Saved graphs name this class, so loading them needs this library on the class path, as our model files do anyway.
 */
public class FastBatchNormalization extends BatchNormalization {

    /** DL4J's defaults, which are PyTorch's: eps 1e-5, decay 0.9 (momentum 0.1), log10-std running variance. */
    public FastBatchNormalization() {
        super();
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        FastBatchNormalizationLayer layer = new FastBatchNormalizationLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> parameters = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(parameters);
        layer.setConf(conf);
        return layer;
    }
}
