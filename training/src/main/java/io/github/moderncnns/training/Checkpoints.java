package io.github.moderncnns.training;

import io.github.moderncnns.data.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The checkpoints of a run, in {@code <run>/checkpoints/}: the model with its updater state after every epoch
 * ({@code epoch-0003.zip}, the last {@code keep} kept), the model of the best validation epoch ({@code best.zip}),
 * and, while an epoch is in progress, the latest mid-epoch checkpoint ({@code partial.zip}, with the epoch's
 * {@link EpochProgress}; removed once the epoch's own checkpoint is written). Every file is written to a temporary
 * file and renamed into place, so a run killed at any moment leaves only complete checkpoints.
 */
public final class Checkpoints {
    /** The directory under the run directory. */
    public static final String DIRECTORY = "checkpoints";
    /** The best-validation model's file name. */
    public static final String BEST = "best.zip";
    /** The mid-epoch checkpoint's file name. */
    public static final String PARTIAL = "partial.zip";
    private static final Pattern EPOCH_FILE = Pattern.compile("epoch-(\\d+)\\.zip");

    private final Path directory;
    private final int keep;

    /**
     * @param runDirectory the run directory
     * @param keep how many epoch checkpoints to keep, at least 1
     */
    public Checkpoints(Path runDirectory, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, found " + keep);
        }
        this.directory = runDirectory.resolve(DIRECTORY);
        this.keep = keep;
    }

    /**
     * Saves the model after an epoch and deletes the oldest checkpoints beyond {@code keep}.
     *
     * @param model the model
     * @param epoch the epoch just completed, from 1
     * @return the checkpoint file
     * @throws IOException if writing fails (the previous checkpoints are then intact)
     */
    public Path save(ComputationGraph model, int epoch) throws IOException {
        Path file = directory.resolve(String.format("epoch-%04d.zip", epoch));
        write(model, file);
        List<Path> all = epochFiles();
        for (int i = 0; i < all.size() - keep; i++) {
            Files.deleteIfExists(all.get(i));
        }
        return file;
    }

    /**
     * Saves the model as the best so far.
     *
     * @param model the model
     * @throws IOException if writing fails
     */
    public void saveBest(ComputationGraph model) throws IOException {
        write(model, directory.resolve(BEST));
    }

    /**
     * Saves the model in the middle of an epoch, replacing the previous mid-epoch checkpoint.
     *
     * @param model the model, with DL4J's iteration count as it will be before the next minibatch
     * @param progress how far the epoch has got
     * @throws IOException if writing fails (the previous mid-epoch checkpoint is then intact)
     */
    public void savePartial(ComputationGraph model, EpochProgress progress) throws IOException {
        ModelZip.write(model, directory.resolve(PARTIAL), ModelZip.PROGRESS, progress);
    }

    /**
     * @return the mid-epoch checkpoint, if there is one
     * @throws IOException if its progress entry is missing or not valid (the file is then not a checkpoint to trust)
     */
    public Optional<Partial> partial() throws IOException {
        Path file = directory.resolve(PARTIAL);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        EpochProgress progress = ModelZip.readEntry(file, ModelZip.PROGRESS, EpochProgress.class)
                .orElseThrow(() -> new IOException(file + ": no " + ModelZip.PROGRESS + "; not a mid-epoch "
                        + "checkpoint"));
        return Optional.of(new Partial(file, progress));
    }

    /**
     * Removes the mid-epoch checkpoint (once the epoch it belongs to has a checkpoint of its own).
     *
     * @throws IOException if it cannot be deleted
     */
    public void deletePartial() throws IOException {
        Files.deleteIfExists(directory.resolve(PARTIAL));
    }

    private static void write(ComputationGraph model, Path file) throws IOException {
        AtomicFiles.write(file, out -> ModelSerializer.writeModel(model, out, true));
    }

    /** The newest epoch checkpoint and its epoch, if any. */
    public Optional<Saved> latest() throws IOException {
        List<Path> all = epochFiles();
        if (all.isEmpty()) {
            return Optional.empty();
        }
        Path last = all.get(all.size() - 1);
        return Optional.of(new Saved(last, epochOf(last)));
    }

    /** The epoch checkpoints on disk, the newest first. */
    public List<Saved> newestFirst() throws IOException {
        List<Path> all = epochFiles();
        return java.util.stream.IntStream.range(0, all.size()).mapToObj(i -> all.get(all.size() - 1 - i))
                .map(file -> new Saved(file, epochOf(file))).toList();
    }

    /** The best-validation model's file, if saved. */
    public Optional<Path> best() {
        Path best = directory.resolve(BEST);
        return Files.isRegularFile(best) ? Optional.of(best) : Optional.empty();
    }

    /**
     * A checkpoint on disk.
     *
     * @param file the file
     * @param epoch the epoch it was saved after
     */
    public record Saved(Path file, int epoch) {
        /**
         * @return the model with its updater state
         * @throws IOException if the file cannot be read
         */
        public ComputationGraph load() throws IOException {
            return ModelZip.restore(file);
        }
    }

    /**
     * A mid-epoch checkpoint on disk.
     *
     * @param file the file
     * @param progress how far its epoch had got
     */
    public record Partial(Path file, EpochProgress progress) {
        /**
         * @return the model with its updater state
         * @throws IOException if the file cannot be read
         */
        public ComputationGraph load() throws IOException {
            return ModelZip.restore(file);
        }
    }

    private List<Path> epochFiles() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> EPOCH_FILE.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }

    private static int epochOf(Path file) {
        Matcher matcher = EPOCH_FILE.matcher(file.getFileName().toString());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(file + " is not an epoch checkpoint");
        }
        return Integer.parseInt(matcher.group(1));
    }
}
