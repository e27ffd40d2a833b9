package io.github.moderncnns.architectures;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Xavier-uniform initialisation with PyTorch's fan computation, as the notebook's
 * {@code nn.init.xavier_uniform_(m.weight)}: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)).
 *
 * <p>DL4J's own {@code WeightInit.XAVIER_UNIFORM} divides a convolution's fan-out by the stride product (the
 * Theano/Keras convention), which changes the bound of every strided convolution: AlexNet's first layer (11x11,
 * stride 4, 96 channels) gets fan-out 11,616 / 16 = 726 and bound 0.084 instead of PyTorch's 0.023, 3.7 times
 * larger. Here the fans come from the weight shape alone: {@code [out, in, kh, kw]} gives
 * (in + out) * kh * kw, a dense {@code [in, out]} gives in + out, exactly as PyTorch computes them.
 */
public final class PyTorchXavierUniform implements IWeightInit {
    private static final long serialVersionUID = 1L;

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        double bound = Math.sqrt(6.0 / fanSum(shape));
        Nd4j.rand(paramView, Nd4j.getDistributions().createUniform(-bound, bound));
        return paramView.reshape(order, shape);
    }

    /**
     * fan_in + fan_out as PyTorch's {@code _calculate_fan_in_and_fan_out} computes them.
     *
     * @param shape a dense {@code [in, out]} or convolution {@code [out, in, kh, kw]} weight shape
     * @return fan_in + fan_out
     */
    static double fanSum(long[] shape) {
        long receptiveField = 1;
        for (int i = 2; i < shape.length; i++) {
            receptiveField *= shape[i];
        }
        return (double) (shape[0] + shape[1]) * receptiveField;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PyTorchXavierUniform;
    }

    @Override
    public int hashCode() {
        return PyTorchXavierUniform.class.hashCode();
    }
}
