package io.github.moderncnns.data;

/**
 * None of the places Fashion-MNIST is looked for holds the four files, and downloading them was not possible
 * (disabled, or no network). The message lists every place that was tried and the three ways to provide the data.
 */
public class DatasetNotFoundException extends DatasetException {
    private static final long serialVersionUID = 1L;

    /**
     * @param problem where the data was looked for and why the download did not help
     * @param cause the download error, or {@code null}
     */
    public DatasetNotFoundException(String problem, Throwable cause) {
        super(null, problem, "provide the four files in one of these ways: (1) install the Debian/Ubuntu package "
                + "dataset-fashion-mnist (files in " + FashionMnistLocator.DEBIAN_DIRECTORY + "); (2) put "
                + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and "
                + "t10k-labels-idx1-ubyte.gz in a directory and pass it explicitly or set " + FashionMnistLocator.ENV_VARIABLE
                + " to it; (3) allow the download (needs HTTPS access to " + FashionMnistDownloader.OFFICIAL_BASE_URI
                + ") into the cache " + FashionMnistLocator.CACHE_SUBDIRECTORY + " under your home directory.", cause);
    }
}
