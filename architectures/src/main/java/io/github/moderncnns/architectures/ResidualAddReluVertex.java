package io.github.moderncnns.architectures;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The runtime vertex of {@link ResidualAddRelu}: forward, {@code relu(a + b)} into one new array; backward, the
 * incoming gradient where that output is positive, to both inputs. The output is positive exactly where
 * {@code a + b} is, so the derivative needs no copy of the sum.
 */
final class ResidualAddReluVertex extends BaseGraphVertex {
    /** The last training pass's output, for the ReLU's derivative. */
    private INDArray output;

    ResidualAddReluVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("residual addition " + getVertexName() + ": inputs not set");
        }
        INDArray sum = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, inputs[0].shape(), 'c');
        Nd4j.exec(new AddOp(inputs[0].castTo(dataType), inputs[1].castTo(dataType), sum));
        Transforms.relu(sum, false);
        output = training ? sum : null;
        return sum;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward() || output == null) {
            throw new IllegalStateException("residual addition " + getVertexName()
                    + ": backprop needs a training forward pass and the gradient");
        }
        INDArray gradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, output.shape(),
                'c');
        Nd4j.exec(new RectifiedLinearDerivative(output, epsilon, gradient));
        // each input gets its own array, as from DL4J's ElementWiseVertex: the graph may add to one in place
        return new Pair<>(null, new INDArray[] {gradient, workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, gradient)});
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalStateException("a residual addition has no parameters, hence no gradient view");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
            int minibatchSize) {
        if (maskArrays != null) {
            for (INDArray mask : maskArrays) {
                if (mask != null) {
                    throw new UnsupportedOperationException("residual addition " + getVertexName()
                            + ": masks are for sequences, not images");
                }
            }
        }
        return new Pair<>(null, currentMaskState);
    }

    @Override
    public void clear() {
        super.clear();
        output = null;
    }

    @Override
    public String toString() {
        return "ResidualAddReluVertex(id=" + getVertexIndex() + ",name=\"" + getVertexName() + "\")";
    }
}
