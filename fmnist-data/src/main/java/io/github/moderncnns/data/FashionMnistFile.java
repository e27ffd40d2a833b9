package io.github.moderncnns.data;

/**
 * The four files of Fashion-MNIST, with what each must contain.
 *
 * <p>The SHA-256 digests are of the <em>decompressed</em> IDX bytes: they hold for Zalando's files and for the
 * Debian package alike, although the latter recompressed the .gz files.
 */
public enum FashionMnistFile {
    /** 60,000 training images, 28x28 bytes each. */
    TRAIN_IMAGES("train-images-idx3-ubyte", true, 60_000,
            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
    /** The 60,000 training labels. */
    TRAIN_LABELS("train-labels-idx1-ubyte", false, 60_000,
            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
    /** 10,000 test images. */
    TEST_IMAGES("t10k-images-idx3-ubyte", true, 10_000,
            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
    /** The 10,000 test labels. */
    TEST_LABELS("t10k-labels-idx1-ubyte", false, 10_000,
            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    private final String baseName;
    private final boolean images;
    private final int count;
    private final String sha256;

    FashionMnistFile(String baseName, boolean images, int count, String sha256) {
        this.baseName = baseName;
        this.images = images;
        this.count = count;
        this.sha256 = sha256;
    }

    /** The uncompressed file name, e.g. {@code train-images-idx3-ubyte}. */
    public String fileName() {
        return baseName;
    }

    /** The compressed file name as published, e.g. {@code train-images-idx3-ubyte.gz}. */
    public String gzipFileName() {
        return baseName + ".gz";
    }

    /** Whether the file holds images (IDX magic 2051) rather than labels (2049). */
    public boolean holdsImages() {
        return images;
    }

    /** The number of images or labels in the official file. */
    public int count() {
        return count;
    }

    /** The SHA-256 of the official decompressed content, lower-case hex. */
    public String sha256() {
        return sha256;
    }
}
