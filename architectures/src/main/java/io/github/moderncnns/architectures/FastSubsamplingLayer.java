package io.github.moderncnns.architectures;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's pooling layer with {@link PoolingKernel} as its helper. DL4J 1.0.0-M2.1 asks the helper for backprop only
 * (its forward pass always runs libnd4j's op), so this class also sends the forward pass there. Where the kernel
 * does not apply (helpers off, not the CPU, a configuration or data type it does not cover) the layer is DL4J's own,
 * with DL4J's helper.
 */
public class FastSubsamplingLayer extends SubsamplingLayer {
    private final PoolingKernel kernel;

    /**
     * @param conf the layer's configuration
     * @param dataType the network's data type
     */
    public FastSubsamplingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        PoolingKernel covering = LayerHelpers.enabled() && LayerHelpers.onCpu()
                ? PoolingKernel.of(layerConf()) : null;
        if (covering != null) {
            helper = covering;
        }
        kernel = covering;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray output = kernel == null || input == null ? null
                : kernel.activate(input, workspaceMgr);
        return output != null ? output : super.activate(training, workspaceMgr);
    }
}
