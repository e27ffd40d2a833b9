package io.github.moderncnns.architectures;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's batch-normalization layer with {@link BatchNormKernel} as its helper instead of DL4J's oneDNN one, and the
 * configuration's fused activation ({@link FastBatchNormalization#fusedActivation()}) applied to its output. DL4J
 * creates its helper in the layer's constructor into a package-private field and offers no other way in, so this
 * class sets that one field after construction: every path that creates the layer (building, loading, cloning,
 * {@code ParallelWrapper} replicas) goes through {@link FastBatchNormalization#instantiate}, hence through here.
 *
 * <p>The kernel follows the same switch as DL4J's helpers ({@link LayerHelpers}): with helpers disabled, or on a
 * backend other than the CPU (the kernel reads host memory), the layer is DL4J's own, and the fused activation runs
 * exactly as DL4J's {@code ActivationLayer} would run it after that layer. Where the kernel takes a pass (training or
 * inference), it applies the activation in its own loops, forward and, in training, backward.
 */
public class FastBatchNormalizationLayer extends BatchNormalization {
    private static final Field HELPER = helperField();

    private final BatchNormKernel kernel;
    private final IActivation activation;
    /** The last training pass's output before the activation, when the activation ran outside the kernel. */
    private INDArray beforeActivation;

    /**
     * @param conf the layer's configuration
     * @param dataType the network's data type
     */
    public FastBatchNormalizationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        Activation fused = ((FastBatchNormalization) conf.getLayer()).fusedActivation();
        activation = fused == Activation.IDENTITY ? null : fused.getActivationFunction();
        if (LayerHelpers.enabled() && LayerHelpers.onCpu()) {
            kernel = new BatchNormKernel(fused);
            try {
                HELPER.set(this, kernel);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot install the batch-norm kernel in DL4J's layer", e);
            }
        } else {
            kernel = null;
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray normalized = super.activate(training, workspaceMgr);
        boolean byKernel = kernel != null && kernel.appliedActivation();
        if (activation == null || byKernel) {
            beforeActivation = null;
            return normalized;
        }
        if (!training) {
            return activation.getActivation(normalized, false);
        }
        // as DL4J's ActivationLayer: keep the input for backprop, activate a copy
        beforeActivation = normalized;
        return activation.getActivation(workspaceMgr.dup(ArrayType.ACTIVATIONS, normalized, normalized.ordering()),
                true);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (beforeActivation != null) {
            INDArray copy = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, beforeActivation, beforeActivation.ordering());
            epsilon = activation.backprop(copy, epsilon).getFirst();
        }
        return super.backpropGradient(epsilon, workspaceMgr);
    }

    @Override
    public void clear() {
        super.clear();
        beforeActivation = null;
    }

    private static Field helperField() {
        try {
            Field field = BatchNormalization.class.getDeclaredField("helper");
            if (!BatchNormalizationHelper.class.isAssignableFrom(field.getType())) {
                throw new IllegalStateException("DL4J's BatchNormalization.helper is a " + field.getType());
            }
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("this DL4J version's BatchNormalization has no helper field", e);
        }
    }
}
