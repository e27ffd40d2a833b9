package io.github.moderncnns.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lookup order, validation and failure messages of {@link FashionMnist.Loader}, on small synthetic files. */
class FashionMnistLoaderTest {
    @TempDir
    Path dir;

    private FashionMnist.Loader loader(Map<String, String> env, Path home) {
        return FashionMnist.loader().optLookupContext(env, home, dir.resolve("usr-share")).optVerifyChecksums(false)
                .optDownload(false);
    }

    @Test
    void loadsAnExplicitDirectoryAndRecordsProvenance() throws Exception {
        Path data = SyntheticIdx.dataset(dir.resolve("data"), 30, 10);

        FashionMnist fm = loader(Map.of(), dir.resolve("home")).optDirectory(data).load();

        assertThat(fm.train().size()).isEqualTo(30);
        assertThat(fm.test().size()).isEqualTo(10);
        assertThat(fm.train().label(13)).isEqualTo(3);
        assertThat(fm.train().image(1)[0]).isEqualTo((byte) 7);
        DatasetProvenance provenance = fm.provenance();
        assertThat(provenance.origin()).isEqualTo("explicit");
        assertThat(provenance.directory()).isEqualTo(data);
        assertThat(provenance.checksumsVerified()).isFalse();
        assertThat(provenance.isOfficial()).isFalse();
        assertThat(provenance.files()).extracting(DatasetProvenance.FileRecord::count).containsExactly(30, 30, 10, 10);
        assertThat(provenance.files()).allSatisfy(f -> assertThat(f.gzipped()).isTrue());
    }

    @Test
    void fmnistHomeComesBeforeTheCache() throws Exception {
        Path home = dir.resolve("home");
        SyntheticIdx.dataset(home.resolve(FashionMnistLocator.CACHE_SUBDIRECTORY), 20, 10);
        Path env = SyntheticIdx.dataset(dir.resolve("env"), 40, 10);

        FashionMnist fromEnv = loader(Map.of("FMNIST_HOME", env.toString()), home).load();
        FashionMnist fromCache = loader(Map.of(), home).load();

        assertThat(fromEnv.provenance().origin()).isEqualTo("FMNIST_HOME");
        assertThat(fromEnv.train().size()).isEqualTo(40);
        assertThat(fromCache.provenance().origin()).isEqualTo("cache");
        assertThat(fromCache.train().size()).isEqualTo(20);
    }

    @Test
    void anIncompleteDirectoryIsSkippedInTheSearch() throws Exception {
        Path home = dir.resolve("home");
        SyntheticIdx.dataset(home.resolve(FashionMnistLocator.CACHE_SUBDIRECTORY), 20, 10);
        Path env = SyntheticIdx.dataset(dir.resolve("env"), 40, 10);
        Files.delete(env.resolve("t10k-labels-idx1-ubyte.gz"));

        FashionMnistLocator locator = loader(Map.of("FMNIST_HOME", env.toString()), home).locator();

        assertThat(locator.candidates()).extracting(FashionMnistLocator.Candidate::origin)
                .containsExactly("FMNIST_HOME", "cache", "debian-package");
        assertThat(locator.candidates().get(0).missingFiles()).containsExactly(FashionMnistFile.TEST_LABELS);
        assertThat(locator.locate()).get().extracting(FashionMnistLocator.Candidate::origin).isEqualTo("cache");
    }

    @Test
    void uncompressedFilesAreFoundToo() throws Exception {
        Path data = dir.resolve("raw");
        SyntheticIdx.write(data.resolve("train-images-idx3-ubyte"), SyntheticIdx.images(12));
        SyntheticIdx.write(data.resolve("train-labels-idx1-ubyte"), SyntheticIdx.labels(12));
        SyntheticIdx.write(data.resolve("t10k-images-idx3-ubyte"), SyntheticIdx.images(2));
        SyntheticIdx.write(data.resolve("t10k-labels-idx1-ubyte"), SyntheticIdx.labels(2));

        FashionMnist fm = loader(Map.of(), dir).optDirectory(data).load();

        assertThat(fm.train().size()).isEqualTo(12);
        assertThat(fm.provenance().files()).allSatisfy(f -> assertThat(f.gzipped()).isFalse());
    }

    @Test
    void imageAndLabelCountsMustAgree() {
        Path data = SyntheticIdx.dataset(dir.resolve("data"), 30, 10);
        Path labels = SyntheticIdx.write(data.resolve("t10k-labels-idx1-ubyte.gz"),
                SyntheticIdx.gzip(SyntheticIdx.labels(9)));

        assertThatThrownBy(() -> loader(Map.of(), dir).optDirectory(data).load())
                .isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(labels.toString())
                .hasMessageContaining("expected as many labels as " + data.resolve("t10k-images-idx3-ubyte.gz")
                        + " has images (10), found 9");
    }

    @Test
    void verifiedChecksumsRejectFilesThatAreNotTheOfficialOnes() {
        Path data = SyntheticIdx.dataset(dir.resolve("data"), 30, 10);

        assertThatThrownBy(() -> FashionMnist.loader().optDirectory(data).optDownload(false).load())
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageStartingWith(data.resolve("train-images-idx3-ubyte.gz").toString())
                .hasMessageContaining("expected " + FashionMnistFile.TRAIN_IMAGES.sha256() + ", found "
                        + IdxReader.sha256(SyntheticIdx.images(30)))
                .hasMessageContaining("optVerifyChecksums(false)");
    }

    @Test
    void withoutDataAndWithoutDownloadTheErrorListsWhereItLookedAndTheThreeWays() {
        Path empty = dir.resolve("empty");

        assertThatThrownBy(() -> loader(Map.of("FMNIST_HOME", empty.toString()), dir.resolve("home"))
                .load())
                .isInstanceOf(DatasetNotFoundException.class)
                .hasMessageContaining("looked in " + empty + " (FMNIST_HOME): missing [train-images-idx3-ubyte.gz, "
                        + "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz]")
                .hasMessageContaining(dir.resolve("home/.deeplearning4j/data/fashion-mnist") + " (cache)")
                .hasMessageContaining(dir.resolve("usr-share") + " (debian-package)")
                .hasMessageContaining("Downloading is turned off.")
                .hasMessageContaining("(1) install the Debian/Ubuntu package dataset-fashion-mnist")
                .hasMessageContaining("(2) put train-images-idx3-ubyte.gz")
                .hasMessageContaining("set FMNIST_HOME")
                .hasMessageContaining("(3) allow the download");
    }

    @Test
    void anUnwritableCacheGivesAClearErrorAndNoFiles() throws Exception {
        Path home = SyntheticIdx.write(dir.resolve("home-is-a-file"), new byte[] {1});
        FashionMnistDownloader downloader = FashionMnistDownloader.builder()
                .optBaseUri(java.net.URI.create("http://127.0.0.1:9/")).optAttempts(1).build();

        assertThatThrownBy(() -> FashionMnist.loader().optLookupContext(Map.of(), home, dir.resolve("usr-share"))
                .optDownloader(downloader)
                .load())
                .isInstanceOf(DatasetNotFoundException.class)
                .hasMessageContaining("The download into " + home.resolve(FashionMnistLocator.CACHE_SUBDIRECTORY)
                        + " failed")
                .hasMessageContaining("cannot create or write the download directory")
                .hasMessageContaining("choose a writable directory");
        assertThat(Files.readAllBytes(home)).containsExactly(1);
    }
}
