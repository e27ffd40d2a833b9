package io.github.moderncnns.architectures;

import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The helper of a network's first convolution ({@link InputConvolutionLayer}): oneDNN's forward pass, and a backward
 * pass that computes the weights' and bias's gradients only ({@link ConvolutionWeightGradient}) and hands DL4J no
 * input gradient. Where that does not pay or does not apply it is oneDNN's helper: images whose unfolded patches
 * are small (BN-LeNet's 28x28: one matrix product per example cost 2.5x libnd4j's whole backward pass), NHWC,
 * "same" mode, dilation, other data types than float32.
 */
final class InputConvolutionHelper implements ConvolutionHelper {
    /** Per example patch-matrix elements below which libnd4j's backward pass is faster (BN-LeNet: 14,400). */
    private static final long MIN_PATCH_ELEMENTS = 1 << 16;

    private final MKLDNNConvHelper oneDnn;
    private final ConvolutionWeightGradient kernel;
    private final boolean covered;

    InputConvolutionHelper(MKLDNNConvHelper oneDnn, org.deeplearning4j.nn.conf.layers.ConvolutionLayer conf) {
        this.oneDnn = oneDnn;
        this.kernel = new ConvolutionWeightGradient(
                Window.of(conf.getKernelSize(), conf.getStride(), conf.getPadding()));
        this.covered = conf.getConvolutionMode() != ConvolutionMode.Same
                && conf.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && conf.getDilation()[0] == 1 && conf.getDilation()[1] == 1;
    }

    @Override
    public boolean checkSupported() {
        return oneDnn.checkSupported();
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return oneDnn.helperMemoryUse();
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta,
            int[] kernelSize, int[] strides, int[] pad, INDArray biasGradView, INDArray weightGradView,
            IActivation afn, AlgoMode mode, BwdFilterAlgo bwdFilterAlgo, BwdDataAlgo bwdDataAlgo,
            ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        boolean pays = weights.size(1) * weights.size(2) * weights.size(3) * delta.size(2) * delta.size(3)
                >= MIN_PATCH_ELEMENTS;
        if (!covered || !pays || !ConvolutionWeightGradient.takes(input, delta)) {
            return oneDnn.backpropGradient(input, weights, bias, delta, kernelSize, strides, pad, biasGradView,
                    weightGradView, afn, mode, bwdFilterAlgo, bwdDataAlgo, convolutionMode, dilation, format,
                    workspaceMgr);
        }
        kernel.compute(input, delta, weightGradView, biasGradView);
        Gradient gradient = new DefaultGradient();
        if (biasGradView != null) {
            gradient.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        gradient.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
        return new Pair<>(gradient, null);
    }

    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernelSize, int[] strides,
            int[] pad, AlgoMode mode, FwdAlgo fwdAlgo, ConvolutionMode convolutionMode, int[] dilation,
            CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        return oneDnn.preOutput(input, weights, bias, kernelSize, strides, pad, mode, fwdAlgo, convolutionMode,
                dilation, format, workspaceMgr);
    }

    @Override
    public INDArray activate(INDArray z, IActivation afn, boolean training) {
        return oneDnn.activate(z, afn, training);
    }
}
