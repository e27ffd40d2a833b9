package io.github.moderncnns.training;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Re-estimates the running mean and variance of every batch-norm layer of a graph from training minibatches, with
 * the weights fixed: each layer's statistics become the average of its per-minibatch mean and (unbiased) variance,
 * as PyTorch's {@code torch.optim.swa_utils.update_bn} does ("precise BN": Wu and Johnson,
 * <a href="https://arxiv.org/abs/2105.07576">Rethinking "Batch" in BatchNorm</a>, 2021).
 *
 * <p>Why: with gradient sharing DL4J sends the running statistics through the same threshold encoding as the
 * weights, so they move by at most the threshold per step and lag far behind; the network trains (training mode
 * normalises with each minibatch's own statistics) but predicts badly in inference mode. Measured in
 * docs/scale-out.md.
 */
public final class BatchNormStatistics {
    /** Minibatches to average over after a gradient-sharing epoch: 4,096 images at batch 128. */
    public static final int GRADIENT_SHARING_MINIBATCHES = 32;

    private BatchNormStatistics() {
    }

    /**
     * Re-estimates the statistics.
     *
     * @param graph the graph; its batch-norm layers' {@code mean} and {@code var} (or {@code log10stdev})
     *              parameters are overwritten, nothing else changes
     * @param minibatches training minibatches (features only are used)
     * @param maxMinibatches use at most this many
     * @return how many minibatches were used (0 if the graph has no batch-norm layer or no data came)
     */
    public static int recompute(ComputationGraph graph, Iterator<? extends DataSet> minibatches, int maxMinibatches) {
        List<Target> targets = targets(graph);
        if (targets.isEmpty()) {
            return 0;
        }
        int used = 0;
        while (used < maxMinibatches && minibatches.hasNext()) {
            Map<String, INDArray> activations = graph.feedForward(minibatches.next().getFeatures(), true);
            for (Target target : targets) {
                INDArray input = activations.get(target.inputName);
                if (input == null) {
                    throw new IllegalStateException("no activations for " + target.inputName + ", the input of "
                            + "batch-norm layer " + target.layer.getConfig().getLayerName());
                }
                target.add(input);
            }
            used++;
        }
        graph.clearLayersStates();
        if (used > 0) {
            for (Target target : targets) {
                target.store(used);
            }
        }
        return used;
    }

    private static List<Target> targets(ComputationGraph graph) {
        List<Target> targets = new ArrayList<>();
        for (Layer layer : graph.getLayers()) {
            if (layer instanceof BatchNormalization batchNorm) {
                String name = batchNorm.getConfig().getLayerName();
                GraphVertex vertex = graph.getConfiguration().getVertices().get(name);
                if (vertex instanceof LayerVertex layerVertex && layerVertex.getPreProcessor() != null) {
                    throw new UnsupportedOperationException("batch-norm layer " + name + " has an input "
                            + "preprocessor; its statistics cannot be re-estimated from its input vertex");
                }
                targets.add(new Target(batchNorm, graph.getConfiguration().getVertexInputs().get(name).get(0)));
            }
        }
        return targets;
    }

    /** One batch-norm layer and the running sums of its per-minibatch statistics. */
    private static final class Target {
        private final BatchNormalization layer;
        private final String inputName;
        private INDArray meanSum;
        private INDArray varianceSum;

        Target(BatchNormalization layer, String inputName) {
            this.layer = layer;
            this.inputName = inputName;
        }

        void add(INDArray input) {
            int[] dimensions = reductionDimensions(input.rank());
            INDArray mean = input.mean(dimensions);
            INDArray variance = input.var(true, dimensions);
            meanSum = meanSum == null ? mean : meanSum.addi(mean);
            varianceSum = varianceSum == null ? variance : varianceSum.addi(variance);
        }

        private int[] reductionDimensions(int rank) {
            if (rank == 2) {
                return new int[] {0};
            }
            if (rank == 4) {
                CNN2DFormat format = ((org.deeplearning4j.nn.conf.layers.BatchNormalization) layer.getConfig())
                        .getCnn2DFormat();
                return format == CNN2DFormat.NHWC ? new int[] {0, 1, 2} : new int[] {0, 2, 3};
            }
            throw new UnsupportedOperationException("batch-norm input of rank " + rank + " in layer "
                    + layer.getConfig().getLayerName() + "; expected 2 (dense) or 4 (convolutional)");
        }

        void store(int minibatches) {
            INDArray mean = meanSum.divi(minibatches);
            INDArray variance = varianceSum.divi(minibatches);
            Map<String, INDArray> params = layer.paramTable();
            params.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).assign(mean.reshape(
                    params.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).shape()));
            INDArray logStd = params.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            if (logStd != null) { // log10(std) = log10(variance) / 2
                logStd.assign(Transforms.log(variance, 10.0, false).muli(0.5).reshape(logStd.shape()));
            } else {
                INDArray var = params.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
                var.assign(variance.reshape(var.shape()));
            }
        }
    }
}
