package io.github.moderncnns.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.moderncnns.data.AtomicFiles;
import io.github.moderncnns.data.DatasetProvenance;
import io.github.moderncnns.data.TrainValidationSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which data a run trained on, by content rather than by path: the split's fingerprint and the SHA-256 of each
 * file's decompressed content. Saved as {@code data.json} when a run starts; a resumed run, which may read the files
 * from another directory ({@code --data-dir} after the files moved), must find the same content.
 *
 * @param splitFingerprint the train/validation split's fingerprint
 * @param sha256 each file's SHA-256, by file name
 */
public record DataIdentity(String splitFingerprint, Map<String, String> sha256) {
    /** The file's name in a run directory. */
    public static final String FILE = "data.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Keeps a sorted copy. */
    public DataIdentity {
        sha256 = new TreeMap<>(sha256);
    }

    /**
     * @param provenance the loaded files
     * @param split the split the run uses
     * @return their identity
     */
    public static DataIdentity of(DatasetProvenance provenance, TrainValidationSplit split) {
        Map<String, String> sums = new TreeMap<>();
        provenance.files().forEach(f -> sums.put(f.file().fileName(), f.sha256()));
        return new DataIdentity(split.fingerprint(), sums);
    }

    /**
     * Records this identity in a run directory that has none yet (runs started before it existed get one on their
     * first resume), or checks it against the recorded one.
     *
     * @param runDirectory the run directory
     * @param dataDirectory where the data were read from, for the message
     * @throws IOException if the recorded identity differs: the data are not the run's
     */
    public void recordOrVerify(Path runDirectory, Path dataDirectory) throws IOException {
        Path file = runDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            AtomicFiles.write(file, JSON.writeValueAsBytes(this));
            return;
        }
        DataIdentity recorded = JSON.readValue(file.toFile(), DataIdentity.class);
        for (Map.Entry<String, String> sum : recorded.sha256().entrySet()) {
            String found = sha256.get(sum.getKey());
            if (!sum.getValue().equals(found)) {
                throw new IOException(dataDirectory + ": " + sum.getKey() + " is not the file this run trained on "
                        + "(SHA-256 of its content: expected " + sum.getValue() + ", found " + found + "; see " + file
                        + "); resume with --data-dir pointing to the run's files");
            }
        }
        if (!recorded.splitFingerprint().equals(splitFingerprint)) {
            throw new IOException(runDirectory + ": the train/validation split differs from the run's (fingerprint "
                    + "expected " + recorded.splitFingerprint() + ", found " + splitFingerprint + ")");
        }
    }
}
