package io.github.moderncnns.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The notebook's seeded split of the training images into a training and a validation subset, identical index for
 * index to {@code torch.utils.data.random_split(train, [trainSize, validationSize],
 * generator=torch.Generator().manual_seed(seed))}: with the same seed, a DL4J run here and the notebook's PyTorch run
 * train and validate on exactly the same images.
 */
public final class TrainValidationSplit {
    /** The file {@link #writeIndexFiles(Path)} writes the training indices to. */
    public static final String TRAIN_INDEX_FILE = "train-indices.txt";
    /** The file {@link #writeIndexFiles(Path)} writes the validation indices to. */
    public static final String VALIDATION_INDEX_FILE = "validation-indices.txt";

    private final long seed;
    private final int[] trainIndices;
    private final int[] validationIndices;
    private final ImageSet train;
    private final ImageSet validation;

    private TrainValidationSplit(long seed, ImageSet source, int[] trainIndices, int[] validationIndices) {
        this.seed = seed;
        this.trainIndices = trainIndices;
        this.validationIndices = validationIndices;
        this.train = source.select(trainIndices);
        this.validation = source.select(validationIndices);
    }

    /**
     * Splits {@code source} as PyTorch's {@code random_split} would.
     *
     * @param source the images to split (the notebook: the 60,000 training images)
     * @param seed the generator seed (the notebook: 42)
     * @param trainSize the training subset's size (the notebook: 50,000)
     * @param validationSize the validation subset's size (the notebook: 10,000)
     * @return the split
     * @throws IllegalArgumentException if the sizes do not add up to the source's size, as PyTorch requires
     */
    public static TrainValidationSplit of(ImageSet source, long seed, int trainSize, int validationSize) {
        if (trainSize < 0 || validationSize < 0 || (long) trainSize + validationSize != source.size()) {
            throw new IllegalArgumentException("split sizes must be non-negative and add up to the " + source.size()
                    + " images being split (as torch.utils.data.random_split requires), found " + trainSize + " + "
                    + validationSize + " = " + ((long) trainSize + validationSize));
        }
        List<int[]> subsets = TorchRandomSplit.split(seed, trainSize, validationSize);
        return new TrainValidationSplit(seed, source, subsets.get(0), subsets.get(1));
    }

    /** The generator seed. */
    public long seed() {
        return seed;
    }

    /** The training subset, in PyTorch's order. */
    public ImageSet train() {
        return train;
    }

    /** The validation subset, in PyTorch's order. */
    public ImageSet validation() {
        return validation;
    }

    /** The training subset's indices into the source, in PyTorch's order (a copy). */
    public int[] trainIndices() {
        return trainIndices.clone();
    }

    /** The validation subset's indices into the source, in PyTorch's order (a copy). */
    public int[] validationIndices() {
        return validationIndices.clone();
    }

    /**
     * A short fingerprint of the split: the first 16 hex digits of the SHA-256 of the two index files' content
     * (training then validation), for run reports. Two runs with equal fingerprints used the same images.
     */
    public String fingerprint() {
        String both = indexText(trainIndices) + indexText(validationIndices);
        return IdxReader.sha256(both.getBytes(StandardCharsets.US_ASCII)).substring(0, 16);
    }

    /**
     * Writes {@value #TRAIN_INDEX_FILE} and {@value #VALIDATION_INDEX_FILE} into {@code directory}: one index per
     * line, in split order, so that anyone can audit the split (for example against PyTorch's
     * {@code subset.indices}). Each file is written atomically.
     *
     * @param directory where to write; created if needed
     * @return the two files written
     * @throws IOException if writing fails
     */
    public List<Path> writeIndexFiles(Path directory) throws IOException {
        Path trainFile = directory.resolve(TRAIN_INDEX_FILE);
        Path validationFile = directory.resolve(VALIDATION_INDEX_FILE);
        AtomicFiles.write(trainFile, indexText(trainIndices).getBytes(StandardCharsets.US_ASCII));
        AtomicFiles.write(validationFile, indexText(validationIndices).getBytes(StandardCharsets.US_ASCII));
        return List.of(trainFile, validationFile);
    }

    /** The index file format: one decimal index per line, each line ending in {@code \n}. */
    static String indexText(int[] indices) {
        StringBuilder text = new StringBuilder(indices.length * 6);
        for (int index : indices) {
            text.append(index).append('\n');
        }
        return text.toString();
    }
}
