/**
 * The notebook's four networks as DL4J {@code ComputationGraph}s, faithful to its PyTorch code layer for layer and
 * parameter for parameter: {@link io.github.moderncnns.architectures.AlexNet},
 * {@link io.github.moderncnns.architectures.Vgg} (VGG-11 and the small variant),
 * {@link io.github.moderncnns.architectures.BatchNormLeNet} and {@link io.github.moderncnns.architectures.ResNet}
 * (ResNet-18 and other block counts), also by id through {@link io.github.moderncnns.architectures.NotebookModel}.
 *
 * <p>Each builder gives an {@link io.github.moderncnns.architectures.Architecture}: the configuration, a graph
 * initialised as the notebook's {@code init_weights} leaves PyTorch's model, a
 * {@link io.github.moderncnns.architectures.ModelSummary} of shapes and parameter counts, and the map from
 * PyTorch's {@code state_dict} keys to DL4J parameters that {@link io.github.moderncnns.architectures.TorchWeights}
 * uses to import PyTorch-trained weights. The translation rules live in one place, the package-private
 * {@code LayerStack}; residual blocks are {@code ResidualBlock}s of graph vertices.
 *
 * <p>Graphs made here (and models loaded by the training module) use DL4J's oneDNN layer helpers for convolution
 * where the ND4J backend has oneDNN: {@link io.github.moderncnns.architectures.LayerHelpers} says why that needs
 * switching on, and how to switch it off. Batch norm runs through the project's kernel
 * ({@link io.github.moderncnns.architectures.FastBatchNormalization}), with the activation that follows it fused in,
 * pooling through another ({@link io.github.moderncnns.architectures.FastSubsampling}), the first convolution skips
 * the gradient at the network's input ({@link io.github.moderncnns.architectures.InputConvolution}), and a residual
 * block ends in one {@link io.github.moderncnns.architectures.ResidualAddRelu} vertex: fewer copies and faster
 * loops per training step than DL4J's separate layers and libnd4j's ops, which {@code optFastLayers(false)} builds
 * instead.
 */
package io.github.moderncnns.architectures;
