package io.github.moderncnns.architectures;

import java.lang.reflect.Field;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's batch-normalization layer with {@link BatchNormKernel} as its helper instead of DL4J's oneDNN one. DL4J
 * creates its helper in the layer's constructor into a package-private field and offers no other way in, so this
 * class sets that one field after construction: every path that creates the layer (building, loading, cloning,
 * {@code ParallelWrapper} replicas) goes through {@link FastBatchNormalization#instantiate}, hence through here.
 *
 * <p>The kernel follows the same switch as DL4J's helpers ({@link LayerHelpers}): with helpers disabled, or on a
 * backend other than the CPU (the kernel reads host memory), the layer is DL4J's own, unchanged.
 */
public class FastBatchNormalizationLayer extends BatchNormalization {
    private static final Field HELPER = helperField();

    /**
     * @param conf the layer's configuration
     * @param dataType the network's data type
     */
    public FastBatchNormalizationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        if (LayerHelpers.enabled() && onCpu()) {
            try {
                HELPER.set(this, new BatchNormKernel());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot install the batch-norm kernel in DL4J's layer", e);
            }
        }
    }

    private static boolean onCpu() {
        return "CPU".equalsIgnoreCase(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
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
