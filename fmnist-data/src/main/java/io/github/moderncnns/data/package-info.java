/**
 * Fashion-MNIST for Deeplearning4j: what the notebook's {@code load_data_fashion_mnist()} does with torchvision,
 * reproduced exactly and usable by any DL4J project (this package depends on nd4j-api only).
 *
 * <ul>
 *   <li>{@link io.github.moderncnns.data.FashionMnist}: locate (or download), read and validate the four files;
 *       {@link io.github.moderncnns.data.FashionMnistLocator} says where it looks,
 *       {@link io.github.moderncnns.data.FashionMnistDownloader} downloads safely,
 *       {@link io.github.moderncnns.data.IdxReader} validates the IDX format.</li>
 *   <li>{@link io.github.moderncnns.data.TrainValidationSplit}: the seeded 50,000/10,000 split, index-identical to
 *       PyTorch's {@code random_split} ({@link io.github.moderncnns.data.TorchRandomSplit},
 *       {@link io.github.moderncnns.data.Mt19937}).</li>
 *   <li>{@link io.github.moderncnns.data.FashionMnistIterator}: DL4J minibatches, resized bit-identically to
 *       {@code transforms.Resize} ({@link io.github.moderncnns.data.PilBilinearResizer}), shuffled reproducibly,
 *       prefetched on a background thread.</li>
 *   <li>{@link io.github.moderncnns.data.ImageSet}: the raw bytes, for users with their own pipeline.</li>
 * </ul>
 * Every problem with the files is a checked {@link io.github.moderncnns.data.DatasetException} whose message names
 * the file, the expected and the found value, and the fix.
 */
package io.github.moderncnns.data;
