package io.github.moderncnns.data;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017, <a href="https://arxiv.org/abs/1708.07747">arXiv:1708.07747</a>),
 * loaded into memory and validated: 60,000 training and 10,000 test images of 28x28 pixels in 10 classes.
 *
 * <p>This is the Java side of the notebook's {@code load_data_fashion_mnist()}:
 * <pre>{@code
 * FashionMnist data = FashionMnist.loader().load();           // locate (or download), validate, verify
 * TrainValidationSplit split = data.split(42);                 // 50,000 / 10,000, identical to PyTorch's
 * FashionMnistIterator train = FashionMnistIterator.builder()
 *         .setImages(split.train()).setBatchSize(128).optResize(224).optShuffleSeed(42).build();
 * }</pre>
 * See {@link FashionMnistIterators} for the notebook's three iterators in one call.
 */
public final class FashionMnist {
    /** The class names, indexed by label, as published by Zalando Research (and torchvision's {@code classes}). */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** The notebook's split sizes and seed. */
    public static final int NOTEBOOK_TRAIN_SIZE = 50_000;
    /** The notebook's validation size. */
    public static final int NOTEBOOK_VALIDATION_SIZE = 10_000;
    /** The notebook's split seed ({@code torch.Generator().manual_seed(42)}). */
    public static final long NOTEBOOK_SPLIT_SEED = 42;

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnist.class);

    private final ImageSet train;
    private final ImageSet test;
    private final DatasetProvenance provenance;

    private FashionMnist(ImageSet train, ImageSet test, DatasetProvenance provenance) {
        this.train = train;
        this.test = test;
        this.provenance = provenance;
    }

    /** A loader with the default lookup order and download enabled. */
    public static Loader loader() {
        return new Loader();
    }

    /** The 60,000 training images (before any split). */
    public ImageSet train() {
        return train;
    }

    /** The 10,000 test images. */
    public ImageSet test() {
        return test;
    }

    /** Where the files came from and what they contained. */
    public DatasetProvenance provenance() {
        return provenance;
    }

    /**
     * The notebook's split of the training images: 50,000 training and 10,000 validation images, identical to
     * PyTorch's {@code random_split} with {@code torch.Generator().manual_seed(seed)}.
     *
     * @param seed the generator seed (the notebook uses 42)
     * @return the split
     */
    public TrainValidationSplit split(long seed) {
        return TrainValidationSplit.of(train, seed, NOTEBOOK_TRAIN_SIZE, train.size() - NOTEBOOK_TRAIN_SIZE);
    }

    /**
     * Locates, reads and validates the four files. The lookup order is {@link FashionMnistLocator}'s; if no place
     * holds the files and downloading is allowed, they are downloaded into the cache (or the explicit directory).
     */
    public static final class Loader {
        private Path directory;
        private boolean download = true;
        private boolean verifyChecksums = true;
        private FashionMnistDownloader downloader;
        private Map<String, String> environment = System.getenv();
        private Path userHome = Path.of(System.getProperty("user.home"));
        private Path systemDirectory = FashionMnistLocator.DEBIAN_DIRECTORY;

        private Loader() {
        }

        /**
         * Reads the files from this directory only (and downloads into it when they are missing and downloading is
         * allowed).
         *
         * @param directory the directory, or {@code null} to search the usual places
         * @return this loader
         */
        public Loader optDirectory(Path directory) {
            this.directory = directory;
            return this;
        }

        /**
         * @param download whether missing files may be downloaded (default true)
         * @return this loader
         */
        public Loader optDownload(boolean download) {
            this.download = download;
            return this;
        }

        /**
         * @param verifyChecksums whether each file's decompressed SHA-256 must be the official one (default true;
         *                        turn it off only to load modified or synthetic files on purpose)
         * @return this loader
         */
        public Loader optVerifyChecksums(boolean verifyChecksums) {
            this.verifyChecksums = verifyChecksums;
            return this;
        }

        /**
         * @param downloader the downloader to use (default {@link FashionMnistDownloader#official()})
         * @return this loader
         */
        public Loader optDownloader(FashionMnistDownloader downloader) {
            this.downloader = Objects.requireNonNull(downloader, "downloader");
            return this;
        }

        /**
         * Replaces this process's environment, home directory and the system-wide directory in the lookup (for tests
         * and embedding).
         *
         * @param environment the environment variables
         * @param userHome the home directory holding the cache
         * @param systemDirectory the system-wide directory (normally {@link FashionMnistLocator#DEBIAN_DIRECTORY})
         * @return this loader
         */
        public Loader optLookupContext(Map<String, String> environment, Path userHome, Path systemDirectory) {
            this.environment = Map.copyOf(environment);
            this.userHome = Objects.requireNonNull(userHome, "userHome");
            this.systemDirectory = Objects.requireNonNull(systemDirectory, "systemDirectory");
            return this;
        }

        /** The locator this loader searches with. */
        public FashionMnistLocator locator() {
            return new FashionMnistLocator(directory, environment, userHome, systemDirectory);
        }

        /**
         * Locates (or downloads), reads and validates the dataset.
         *
         * @return the dataset
         * @throws DatasetNotFoundException if the files are nowhere and could not be downloaded
         * @throws IdxFormatException if a file is not valid
         * @throws ChecksumMismatchException if checksums are verified and a file is not the official one
         * @throws DatasetException for other I/O problems
         */
        public FashionMnist load() throws DatasetException {
            long start = System.nanoTime();
            FashionMnistLocator locator = locator();
            Optional<FashionMnistLocator.Candidate> found = locator.locate();
            Path source;
            String origin;
            if (found.isPresent()) {
                source = found.get().directory();
                origin = found.get().origin();
            } else {
                source = downloadInto(locator);
                origin = "downloaded";
            }
            Map<FashionMnistFile, IdxFile> files = new EnumMap<>(FashionMnistFile.class);
            List<DatasetProvenance.FileRecord> records = new ArrayList<>();
            for (FashionMnistFile file : FashionMnistFile.values()) {
                Path path = FashionMnistLocator.find(source, file).orElseThrow();
                IdxFile content = file.holdsImages() ? IdxReader.readImages(path) : IdxReader.readLabels(path);
                if (verifyChecksums && !content.sha256().equals(file.sha256())) {
                    throw new ChecksumMismatchException(path, file.sha256(), content.sha256());
                }
                files.put(file, content);
                records.add(new DatasetProvenance.FileRecord(file, path, content.gzipped(), content.count(),
                        content.sha256()));
            }
            ImageSet train = pair(files.get(FashionMnistFile.TRAIN_IMAGES), files.get(FashionMnistFile.TRAIN_LABELS));
            ImageSet test = pair(files.get(FashionMnistFile.TEST_IMAGES), files.get(FashionMnistFile.TEST_LABELS));
            Duration loadTime = Duration.ofNanos(System.nanoTime() - start);
            DatasetProvenance provenance = new DatasetProvenance(origin, source, records, verifyChecksums, loadTime);
            LOG.debug("Loaded Fashion-MNIST from {} ({}): {} training and {} test images in {} ms", source, origin,
                    train.size(), test.size(), loadTime.toMillis());
            return new FashionMnist(train, test, provenance);
        }

        private Path downloadInto(FashionMnistLocator locator) throws DatasetException {
            List<String> tried = new ArrayList<>();
            for (FashionMnistLocator.Candidate candidate : locator.candidates()) {
                tried.add(candidate + ": missing " + candidate.missingFiles().stream()
                        .map(FashionMnistFile::gzipFileName).toList());
            }
            String where = "Fashion-MNIST was not found; looked in " + String.join("; ", tried) + ".";
            if (!download) {
                throw new DatasetNotFoundException(where + " Downloading is turned off.", null);
            }
            Path target = locator.downloadDirectory();
            FashionMnistDownloader effective = downloader != null ? downloader : FashionMnistDownloader.official();
            LOG.info("{} Downloading it from {} into {}", where, effective.baseUri(), target);
            try {
                effective.downloadMissing(target);
            } catch (DatasetException e) {
                throw new DatasetNotFoundException(where + " The download into " + target + " failed: "
                        + e.getMessage(), e);
            }
            return target;
        }

        private static ImageSet pair(IdxFile images, IdxFile labels) throws IdxFormatException {
            if (images.count() != labels.count()) {
                throw new IdxFormatException(labels.path(), "expected as many labels as " + images.path()
                        + " has images (" + images.count() + "), found " + labels.count() + ".", null);
            }
            return ImageSet.of(images.payload(), labels.payload(), images.rows());
        }
    }
}
