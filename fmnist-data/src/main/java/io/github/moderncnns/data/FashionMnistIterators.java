package io.github.moderncnns.data;

/**
 * The notebook's {@code load_data_fashion_mnist(batch_size, resize)} in one call: a shuffled training iterator and
 * fixed-order validation and test iterators over the seeded 50,000/10,000 split and the test set.
 *
 * @param train the training subset, reshuffled every epoch
 * @param validation the validation subset, in split order
 * @param test the 10,000 test images, in file order
 * @param split the split the first two come from
 */
public record FashionMnistIterators(FashionMnistIterator train, FashionMnistIterator validation,
        FashionMnistIterator test, TrainValidationSplit split) implements AutoCloseable {

    /**
     * The notebook's loaders with one seed for the split and the shuffling, as {@code create(data, batchSize, resize,
     * seed, seed, limit)}.
     *
     * @param data the loaded dataset
     * @param batchSize images per minibatch
     * @param resize output side in pixels; 0 or 28 keep the images as they are
     * @param seed the split seed (the notebook: 42), also used as the training shuffle seed
     * @param limit at most this many images per subset, or -1 for all (for quick runs)
     * @return the three iterators
     */
    public static FashionMnistIterators create(FashionMnist data, int batchSize, int resize, long seed, int limit) {
        return create(data, batchSize, resize, seed, seed, limit);
    }

    /**
     * The notebook's loaders. The split and the shuffling have seeds of their own because the notebook's do: its split
     * comes from {@code torch.Generator().manual_seed(42)} alone, so a run with another model seed keeps the same
     * validation images.
     *
     * @param data the loaded dataset
     * @param batchSize images per minibatch
     * @param resize output side in pixels; 0 or 28 keep the images as they are
     * @param splitSeed the seed of the 50,000/10,000 split (the notebook: 42)
     * @param shuffleSeed the seed of the training data's per-epoch order
     * @param limit at most this many images per subset, or -1 for all (for quick runs)
     * @return the three iterators
     */
    public static FashionMnistIterators create(FashionMnist data, int batchSize, int resize, long splitSeed,
            long shuffleSeed, int limit) {
        return create(data, batchSize, resize, splitSeed, shuffleSeed, limit, Augmentation.none());
    }

    /**
     * The notebook's loaders with augmented training data (validation and test data are never augmented).
     *
     * @param data the loaded dataset
     * @param batchSize images per minibatch
     * @param resize output side in pixels; 0 or 28 keep the images as they are
     * @param splitSeed the seed of the 50,000/10,000 split (the notebook: 42)
     * @param shuffleSeed the seed of the training data's per-epoch order and augmentation
     * @param limit at most this many images per subset, or -1 for all (for quick runs)
     * @param augmentation what to do to the training images
     * @return the three iterators
     */
    public static FashionMnistIterators create(FashionMnist data, int batchSize, int resize, long splitSeed,
            long shuffleSeed, int limit, Augmentation augmentation) {
        TrainValidationSplit split = data.split(splitSeed);
        return new FashionMnistIterators(
                iterator(split.train(), batchSize, resize, limit).optShuffleSeed(shuffleSeed)
                        .optAugmentation(augmentation).build(),
                iterator(split.validation(), batchSize, resize, limit).build(),
                iterator(data.test(), batchSize, resize, limit).build(),
                split);
    }

    private static FashionMnistIterator.Builder iterator(ImageSet images, int batchSize, int resize, int limit) {
        FashionMnistIterator.Builder builder = FashionMnistIterator.builder().setImages(images).setBatchSize(batchSize);
        if (resize > 0) {
            builder.optResize(resize);
        }
        if (limit >= 0) {
            builder.optLimit(limit);
        }
        return builder;
    }

    /** Stops the three iterators' prefetch threads. */
    @Override
    public void close() {
        train.close();
        validation.close();
        test.close();
    }
}
