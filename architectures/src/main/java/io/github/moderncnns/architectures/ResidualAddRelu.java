package io.github.moderncnns.architectures;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The end of the notebook's {@code Residual} block, {@code Y += X; return F.relu(Y)}, as one graph vertex: the sum
 * of its two inputs (the second batch norm's output and the shortcut) through a ReLU. Why one vertex: DL4J's
 * {@code ElementWiseVertex(Add)} followed by an {@code ActivationLayer} copies the data four times per training step
 * besides the two operations (the sum's first input and the ReLU's input forward, the gradient for each input
 * backward); this vertex does the sum and the ReLU into one new array and keeps it for the derivative.
 *
 * <p>Saved graphs name this class, so loading them needs this library, as for {@link FastBatchNormalization}; both
 * come with the builder's {@code optFastLayers(true)}, the default.
 */
public class ResidualAddRelu extends GraphVertex {

    @Override
    public ResidualAddRelu clone() {
        return new ResidualAddRelu();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResidualAddRelu;
    }

    @Override
    public int hashCode() {
        return ResidualAddRelu.class.getName().hashCode();
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new ResidualAddReluVertex(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length != 2 || !vertexInputs[0].equals(vertexInputs[1])) {
            throw new InvalidInputTypeException("a residual addition takes two inputs of the same shape, not "
                    + java.util.Arrays.toString(vertexInputs));
        }
        return vertexInputs[0];
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, ResidualAddRelu.class, inputTypes[0], inputTypes[0])
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }
}
