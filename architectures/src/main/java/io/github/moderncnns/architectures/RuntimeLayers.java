package io.github.moderncnns.architectures;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What every {@code instantiate} of the project's layer configurations does after creating its runtime layer. */
final class RuntimeLayers {
    private RuntimeLayers() {
    }

    /**
     * Connects a new runtime layer to its listeners, position, parameters and configuration, as DL4J's own layer
     * configurations do in {@code instantiate}.
     *
     * @param layer the new runtime layer
     * @param conf its configuration (parameters are initialised by its layer's initializer)
     * @param trainingListeners the graph's listeners
     * @param layerIndex its index in the graph
     * @param layerParamsView its view of the graph's parameters
     * @param initializeParams whether to initialise the parameters (false when they are loaded)
     * @return {@code layer}
     */
    static Layer wire(Layer layer, NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams) {
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(conf.getLayer().initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
