package io.github.moderncnns.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.moderncnns.data.AtomicFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.input.PortableDataStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Minibatches as files, one {@code DataSet.save} per minibatch ({@code minibatch-00000.bin}, ...): the form in which
 * DL4J's Spark training reads data from distributed storage, so that the driver does not hold the data. Write them
 * once (here, or {@code moderncnns data export}), copy the directory to HDFS or S3, and give
 * {@link SparkTraining.Builder#setTrainFiles} its URI. The export writes {@value #MANIFEST} last, with the number of
 * files and images: a directory without it is an interrupted export, and reading refuses it.
 */
public final class DataSetFiles {
    /** The extension of the minibatch files; everything else in the directory is ignored. */
    public static final String EXTENSION = "bin";
    /** The file that marks a finished export. */
    public static final String MANIFEST = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The content of {@value #MANIFEST}.
     *
     * @param format the manifest's format, 1
     * @param files minibatch files written
     * @param examples images in them
     */
    public record Manifest(int format, int files, long examples) {
    }

    private DataSetFiles() {
    }

    /**
     * Writes one epoch of minibatches, each to a temporary file renamed into place (an interrupted export leaves
     * no partial minibatch file), then {@value #MANIFEST}.
     *
     * @param batches the minibatches (reset first)
     * @param directory a directory that does not exist or is empty
     * @return how many files were written
     * @throws IOException if the directory holds files already, or writing fails
     */
    public static int write(DataSetIterator batches, Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            try (Stream<Path> entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(directory + " is not empty: export minibatches to a new directory");
                }
            }
        }
        Files.createDirectories(directory);
        batches.reset();
        int count = 0;
        long examples = 0;
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            String name = String.format(Locale.ROOT, "minibatch-%05d.%s", count++, EXTENSION);
            AtomicFiles.write(directory.resolve(name), batch::save);
            examples += batch.numExamples();
        }
        AtomicFiles.write(directory.resolve(MANIFEST), JSON.writeValueAsBytes(new Manifest(1, count, examples)));
        return count;
    }

    /**
     * @param context the Spark context
     * @param directoryUri a directory of minibatch files on any file system Spark reads ({@code hdfs://...},
     *                     {@code s3a://...}, {@code file:///...})
     * @return the paths of its minibatch files, for {@code SparkComputationGraph.fitPaths}
     * @throws IOException if the directory cannot be listed
     */
    public static JavaRDD<String> paths(JavaSparkContext context, String directoryUri) throws IOException {
        // not DL4J's SparkUtils.listPaths: in M2 its extension filter looks at the directory's name, not the files'
        FileSystem fileSystem = FileSystem.get(URI.create(directoryUri), context.hadoopConfiguration());
        Manifest manifest = manifest(fileSystem, directoryUri);
        List<String> paths = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> files = fileSystem.listFiles(new org.apache.hadoop.fs.Path(directoryUri),
                false);
        while (files.hasNext()) {
            org.apache.hadoop.fs.Path path = files.next().getPath();
            if (path.getName().endsWith("." + EXTENSION) && !path.getName().startsWith(".")) {
                paths.add(path.toString());
            }
        }
        if (paths.size() != manifest.files()) {
            throw new IOException(directoryUri + " holds " + paths.size() + " minibatch files, but its " + MANIFEST
                    + " lists " + manifest.files() + "; export again into an empty directory");
        }
        Collections.sort(paths);
        return context.parallelize(paths, Math.max(1, context.defaultParallelism()));
    }

    /**
     * A local export directory, checked before anything starts: it must hold {@value #MANIFEST}.
     *
     * @param directory a directory written by {@link #write}
     * @return its manifest
     * @throws IOException if it is not a finished export
     */
    public static Manifest requireFinished(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException(directory + " is not a directory; write minibatch files with: moderncnns data "
                    + "export " + directory);
        }
        Path file = directory.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new IOException(unfinished(directory.toString()));
        }
        return JSON.readValue(file.toFile(), Manifest.class);
    }

    private static Manifest manifest(FileSystem fileSystem, String directoryUri) throws IOException {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(directoryUri, MANIFEST);
        if (!fileSystem.exists(file)) {
            throw new IOException(unfinished(directoryUri));
        }
        try (var in = fileSystem.open(file)) {
            return JSON.readValue(in.readNBytes(64 * 1024), Manifest.class);
        }
    }

    private static String unfinished(String directory) {
        return directory + " has no " + MANIFEST + ": the export did not finish (interrupted?) or this is not an "
                + "export directory; export again into an empty directory with: moderncnns data export DIR";
    }

    /**
     * @param context the Spark context
     * @param directoryUri as for {@link #paths} (which checks the manifest; this reads lazily)
     * @return the minibatches, read by the executors
     */
    public static JavaRDD<DataSet> read(JavaSparkContext context, String directoryUri) {
        return context.binaryFiles(directoryUri).filter(file -> file._1().endsWith("." + EXTENSION))
                .map(file -> load(file._2()));
    }

    private static DataSet load(PortableDataStream stream) {
        DataSet batch = new DataSet();
        try (var in = stream.open()) {
            batch.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the minibatch file " + stream.getPath(), e);
        }
        return batch;
    }
}
