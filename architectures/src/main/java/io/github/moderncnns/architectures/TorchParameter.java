package io.github.moderncnns.architectures;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Where one tensor of the notebook's PyTorch {@code state_dict} lives in the DL4J graph, and how its values
 * translate.
 *
 * @param torchName the {@code state_dict} key, e.g. {@code 0.weight} or {@code 2.0.conv1.bias}
 * @param layer the DL4J layer name, e.g. {@code conv1}
 * @param key the DL4J parameter key: {@code W}, {@code b}, {@code gamma}, {@code beta}, {@code mean} or
 *            {@code log10stdev}
 * @param form how DL4J stores the values
 * @param trainable whether PyTorch trains it (false for batch-norm running statistics, PyTorch's buffers)
 */
public record TorchParameter(String torchName, String layer, String key, Form form, boolean trainable) {

    /** How DL4J stores a tensor relative to PyTorch. */
    public enum Form {
        /** The same values in the same layout. */
        SAME,
        /** Transposed: dense weights are PyTorch {@code [out, in]}, DL4J {@code [in, out]}. */
        TRANSPOSED,
        /**
         * A batch norm's running variance, which DL4J stores as log10 of the standard deviation (its default
         * parameterisation; the alternative, {@code useLogStd(false)}, does not survive DL4J's JSON serialisation:
         * it comes back as {@code true}).
         */
        LOG10_STD
    }

    /**
     * @param torchValue the PyTorch tensor
     * @return the values as DL4J stores them (same data type)
     */
    public INDArray toDl4j(INDArray torchValue) {
        return switch (form) {
            case SAME -> torchValue;
            case TRANSPOSED -> torchValue.transpose();
            case LOG10_STD -> Transforms.log(torchValue, 10.0, true).muli(0.5);
        };
    }

    /**
     * @param dl4jValue the DL4J parameter
     * @return the values as PyTorch stores them (a new array)
     */
    public INDArray toTorch(INDArray dl4jValue) {
        return switch (form) {
            case SAME -> dl4jValue.dup();
            case TRANSPOSED -> dl4jValue.transpose().dup();
            case LOG10_STD -> Transforms.exp(dl4jValue.mul(2.0 * Math.log(10.0)), false); // 10^(2 log10 std)
        };
    }
}
