package io.github.moderncnns.data;

import java.util.ArrayDeque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Fashion-MNIST minibatches for DL4J, as the notebook's {@code DataLoader} gives them to PyTorch: features
 * {@code [batch, 1, side, side]} float32 in [0, 1] ({@code ToTensor()}), optionally resized exactly as
 * {@code transforms.Resize(side)}, labels one-hot {@code [batch, 10]}; the last batch may be smaller.
 *
 * <p><b>Order.</b> Without a shuffle seed, images come in the image set's order (validation and test). With one,
 * every epoch has its own permutation, a pure function of (seed, epoch): runs are reproducible, and a resumed run
 * can {@link #setEpoch(int) jump} to any epoch's order. {@link #reset()} after at least one batch starts the next
 * epoch; a reset before any batch keeps the current one.
 *
 * <p><b>Augmentation.</b> A training iterator can crop, flip and erase its images ({@link Augmentation}, off by
 * default as in the notebook) on the prefetch thread; each image's random numbers are a pure function of (shuffle
 * seed, epoch, image), like the order.
 *
 * <p><b>Prefetch.</b> A background thread assembles (and resizes) the next batches while the network works on the
 * current one: {@code optPrefetch(n)} batches ahead, 2 by default, on one core. Because the iterator is already
 * asynchronous, {@link #asyncSupported()} returns {@code false} so DL4J does not wrap it in a second prefetch thread;
 * with {@code optPrefetch(0)} batches are assembled on the caller's thread and DL4J may wrap it as usual.
 * Call {@link #close()} (or let it be garbage) to stop the thread early; it is a daemon thread either way.
 *
 * <p><b>Buffer reuse.</b> A 128-image batch at 224x224 is 25 MB off-heap; allocating one per step leaves the freeing
 * to the garbage collector, which falls far behind (measured: 1,600 instead of 7,500 images/s). So on the CPU
 * backend the prefetching iterator writes batches into a small ring of {@code prefetch + 2} reused buffers, as
 * DL4J's own asynchronous iterators do: a batch stays valid until two further batches have been taken. DL4J's
 * {@code fit} and any loop that uses each batch before asking for the next are unaffected; to keep batches longer,
 * {@code batch.copy()} them or build with {@code optReuseBuffers(false)}.
 */
public final class FashionMnistIterator implements DataSetIterator, AutoCloseable {
    private static final long serialVersionUID = 1L;
    /** SplitMix64's increment, to spread consecutive seeds (epochs, images) apart. */
    static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    /** Keeps the augmentation's random numbers apart from the shuffle's, which come from the same seed. */
    private static final long AUGMENTATION_STREAM = 0x5851f42d4c957f2dL;

    private final transient ImageSet images;
    private final int batchSize;
    private final int side;
    private final boolean shuffle;
    private final long shuffleSeed;
    private final int prefetch;
    private final boolean reuseBuffers;
    private final Augmentation augmentation;
    private final transient BatchAssembler callerAssembler;
    private final transient BatchAssembler workerAssembler;
    private final transient ArrayDeque<Future<DataSet>> pending = new ArrayDeque<>();
    private transient ExecutorService worker;
    private transient DataSetPreProcessor preProcessor;
    private transient int[] order;
    /** The reused batch buffers (features, labels) and the number of batches scheduled into them so far. */
    private transient INDArray[][] ring;
    private long ringSequence;
    private int epoch;
    private int cursor;
    private int scheduled;
    /** Where the current epoch started (minibatches skipped when resuming): a reset before any batch returns here. */
    private int startBatch;
    private boolean servedSinceReset;

    private FashionMnistIterator(Builder builder) {
        this.images = builder.limit >= 0 ? builder.images.limit(builder.limit) : builder.images;
        this.batchSize = builder.batchSize;
        this.side = builder.resize > 0 ? builder.resize : builder.images.side();
        this.shuffle = builder.shuffleSeed != null;
        this.shuffleSeed = shuffle ? builder.shuffleSeed : 0;
        this.prefetch = builder.prefetch;
        this.reuseBuffers = builder.reuseBuffers && prefetch > 0 && BatchAssembler.canWriteInPlace();
        this.augmentation = builder.augmentation;
        this.callerAssembler = new BatchAssembler(images, side, augmentation);
        this.workerAssembler = prefetch > 0 ? new BatchAssembler(images, side, augmentation) : null;
        this.epoch = builder.epoch;
        this.order = orderFor(epoch);
    }

    /** A builder: {@code setImages} and {@code setBatchSize} are required, the {@code opt} settings optional. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link FashionMnistIterator}. */
    public static final class Builder {
        private ImageSet images;
        private int batchSize;
        private int resize;
        private Long shuffleSeed;
        private int limit = -1;
        private int prefetch = 2;
        private int epoch;
        private boolean reuseBuffers = true;
        private Augmentation augmentation = Augmentation.none();

        private Builder() {
        }

        /**
         * @param images the images to iterate, e.g. {@code split.train()} or {@code data.test()} (required)
         * @return this builder
         */
        public Builder setImages(ImageSet images) {
            this.images = Objects.requireNonNull(images, "images");
            return this;
        }

        /**
         * @param batchSize images per minibatch, at least 1 (required; the notebook uses 128 or 256)
         * @return this builder
         */
        public Builder setBatchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, found " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Resizes every image to {@code side x side} as {@code transforms.Resize(side)} does (the notebook: 224 for
         * AlexNet and VGG, 96 for ResNet). Default: no resizing (28x28).
         *
         * @param side the output side in pixels, at least 1
         * @return this builder
         */
        public Builder optResize(int side) {
            if (side < 1) {
                throw new IllegalArgumentException("resize must be at least 1 pixel, found " + side);
            }
            this.resize = side;
            return this;
        }

        /**
         * Shuffles every epoch, reproducibly from this seed (the notebook shuffles the training set only).
         *
         * @param seed the shuffle seed
         * @return this builder
         */
        public Builder optShuffleSeed(long seed) {
            this.shuffleSeed = seed;
            return this;
        }

        /**
         * Iterates over the first {@code limit} images only (before shuffling), for quick runs.
         *
         * @param limit the number of images, at least 0
         * @return this builder
         */
        public Builder optLimit(int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("limit must be at least 0, found " + limit);
            }
            this.limit = limit;
            return this;
        }

        /**
         * @param batches how many batches a background thread prepares ahead, 0 to prepare them on the caller's
         *                thread (default 2)
         * @return this builder
         */
        public Builder optPrefetch(int batches) {
            if (batches < 0) {
                throw new IllegalArgumentException("prefetch must be at least 0, found " + batches);
            }
            this.prefetch = batches;
            return this;
        }

        /**
         * Augments every image (after resizing), differently in every epoch: the random numbers come from the shuffle
         * seed, the epoch and the image, so runs are reproducible. For training data only; default none.
         *
         * @param augmentation what to do to the images
         * @return this builder
         */
        public Builder optAugmentation(Augmentation augmentation) {
            this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
            return this;
        }

        /**
         * @param reuseBuffers whether prefetched batches are written into a ring of reused buffers (default true;
         *                     see the class documentation for what that means for batches kept around)
         * @return this builder
         */
        public Builder optReuseBuffers(boolean reuseBuffers) {
            this.reuseBuffers = reuseBuffers;
            return this;
        }

        /**
         * Starts at this epoch's order (to resume a run); default 0.
         *
         * @param epoch the zero-based epoch
         * @return this builder
         */
        public Builder optEpoch(int epoch) {
            if (epoch < 0) {
                throw new IllegalArgumentException("epoch must be at least 0, found " + epoch);
            }
            this.epoch = epoch;
            return this;
        }

        /**
         * @return the iterator
         * @throws IllegalStateException if a required setting is missing
         */
        public FashionMnistIterator build() {
            if (images == null) {
                throw new IllegalStateException("setImages(...) is required");
            }
            if (batchSize == 0) {
                throw new IllegalStateException("setBatchSize(...) is required");
            }
            if (!augmentation.isNone() && shuffleSeed == null) {
                throw new IllegalStateException("augmentation draws its random numbers from the shuffle seed: set "
                        + "optShuffleSeed(...) too (augment training data only)");
            }
            return new FashionMnistIterator(this);
        }
    }

    /** The number of images per epoch. */
    public int size() {
        return images.size();
    }

    /** The side of the images this iterator produces. */
    public int side() {
        return side;
    }

    /** The number of minibatches per epoch (the notebook's {@code len(data_iter)}). */
    public int batchesPerEpoch() {
        return (images.size() + batchSize - 1) / batchSize;
    }

    /** The zero-based epoch whose order is being served. */
    public int epoch() {
        return epoch;
    }

    /**
     * Restarts at the beginning of the given epoch's order.
     *
     * @param epoch the zero-based epoch
     */
    public void setEpoch(int epoch) {
        setEpoch(epoch, 0);
    }

    /**
     * Continues the given epoch's order after its first {@code batchesDone} minibatches (to resume a run from a
     * checkpoint written in the middle of an epoch): the next batch is the one an uninterrupted epoch would serve
     * next. The epoch after it starts at its beginning as usual.
     *
     * @param epoch the zero-based epoch
     * @param batchesDone minibatches of it already trained, less than {@link #batchesPerEpoch()}
     */
    public void setEpoch(int epoch, int batchesDone) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be at least 0, found " + epoch);
        }
        if (batchesDone < 0 || batchesDone >= batchesPerEpoch()) {
            throw new IllegalArgumentException("batchesDone must be between 0 and " + (batchesPerEpoch() - 1)
                    + " (an epoch has " + batchesPerEpoch() + " minibatches), found " + batchesDone);
        }
        cancelPending();
        this.epoch = epoch;
        this.order = orderFor(epoch);
        this.startBatch = batchesDone;
        this.cursor = batchesDone * batchSize;
        this.scheduled = cursor;
        this.servedSinceReset = false;
    }

    /**
     * The positions (in the image set) served in the given epoch, in order.
     *
     * @param epoch the zero-based epoch
     * @return the positions
     */
    public int[] order(int epoch) {
        int[] positions = orderFor(epoch);
        if (positions == null) {
            positions = new int[images.size()];
            java.util.Arrays.setAll(positions, i -> i);
        }
        return positions;
    }

    private int[] orderFor(int epoch) {
        if (!shuffle) {
            return null;
        }
        return TorchRandomSplit.randperm(images.size(), mix(shuffleSeed + GOLDEN_GAMMA * (epoch + 1L)));
    }

    /** The augmentation of this epoch. */
    public Augmentation augmentation() {
        return augmentation;
    }

    private long augmentationSeed(int epoch) {
        return mix((shuffleSeed ^ AUGMENTATION_STREAM) + GOLDEN_GAMMA * (epoch + 1L));
    }

    /** SplitMix64's finaliser: turns (seed, epoch) into a well-spread generator seed. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public boolean hasNext() {
        return cursor < images.size();
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " is over after " + images.size()
                    + " images; call reset() for the next epoch");
        }
        if (num < 1) {
            throw new IllegalArgumentException("num must be at least 1, found " + num);
        }
        DataSet batch;
        if (prefetch > 0 && num == batchSize) {
            schedule();
            batch = await(pending.poll());
        } else {
            cancelPending();
            batch = callerAssembler.assemble(order, cursor, Math.min(num, images.size() - cursor),
                    augmentationSeed(epoch));
            scheduled = cursor + batch.numExamples();
        }
        cursor += batch.numExamples();
        servedSinceReset = true;
        if (prefetch > 0) {
            schedule();
        }
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    private void schedule() {
        if (worker == null) {
            worker = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "fmnist-prefetch");
                thread.setDaemon(true);
                return thread;
            });
        }
        int[] epochOrder = order;
        long epochSeed = augmentationSeed(epoch);
        while (pending.size() < prefetch && scheduled < images.size()) {
            int from = scheduled;
            int count = Math.min(batchSize, images.size() - from);
            if (reuseBuffers) {
                INDArray[] buffers = ringSlot();
                pending.add(worker.submit(() -> workerAssembler.assembleInto(epochOrder, from, count, epochSeed,
                        buffers)));
            } else {
                pending.add(worker.submit(() -> workerAssembler.assemble(epochOrder, from, count, epochSeed)));
            }
            scheduled += count;
        }
    }

    /**
     * The buffers for the next scheduled batch. With {@code prefetch + 2} slots, the slot handed out now last held
     * the batch taken two batches before the one the caller holds: the current and the previous batch stay intact.
     */
    private INDArray[] ringSlot() {
        if (ring == null) {
            ring = new INDArray[prefetch + 2][];
        }
        int slot = (int) (ringSequence++ % ring.length);
        if (ring[slot] == null) {
            ring[slot] = workerAssembler.allocate(batchSize);
        }
        return ring[slot];
    }

    private static DataSet await(Future<DataSet> batch) {
        try {
            return batch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the next Fashion-MNIST batch", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("preparing a Fashion-MNIST batch failed: " + e.getCause(), e.getCause());
        }
    }

    private void cancelPending() {
        for (Future<DataSet> batch : pending) {
            batch.cancel(false);
        }
        pending.clear();
        scheduled = cursor;
    }

    @Override
    public void reset() {
        if (servedSinceReset) {
            setEpoch(epoch + 1);
        } else {
            setEpoch(epoch, startBatch);
        }
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return prefetch == 0;
    }

    @Override
    public int inputColumns() {
        return side * side;
    }

    @Override
    public int totalOutcomes() {
        return IdxReader.CLASSES;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return FashionMnist.CLASS_NAMES;
    }

    /** Stops the prefetch thread; the iterator can still be used afterwards (batches are then prepared anew). */
    @Override
    public void close() {
        cancelPending();
        if (worker != null) {
            worker.shutdownNow();
            worker = null;
        }
    }
}
