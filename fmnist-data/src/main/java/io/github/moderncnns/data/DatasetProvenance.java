package io.github.moderncnns.data;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where a loaded dataset came from and what exactly it contained, for run reports and reproducibility.
 *
 * @param origin how the directory was found: {@code explicit}, {@code FMNIST_HOME}, {@code cache},
 *               {@code debian-package}, or {@code downloaded}
 * @param directory the directory the files were read from
 * @param files each file read, in {@link FashionMnistFile} order
 * @param checksumsVerified whether every file's SHA-256 was checked against the official one
 * @param loadTime how long locating, reading and validating took
 */
public record DatasetProvenance(String origin, Path directory, List<FileRecord> files, boolean checksumsVerified,
        Duration loadTime) {

    /**
     * One file read.
     *
     * @param file which file
     * @param path its path
     * @param gzipped whether it was gzip-compressed
     * @param count the number of images or labels
     * @param sha256 SHA-256 of the decompressed content
     */
    public record FileRecord(FashionMnistFile file, Path path, boolean gzipped, int count, String sha256) {
    }

    /** Compact constructor: keeps an immutable copy of the file list. */
    public DatasetProvenance {
        files = List.copyOf(files);
    }

    /** Whether every file has the official content (known only if {@link #checksumsVerified()}). */
    public boolean isOfficial() {
        return checksumsVerified && files.stream().allMatch(f -> f.sha256().equals(f.file().sha256()));
    }
}
