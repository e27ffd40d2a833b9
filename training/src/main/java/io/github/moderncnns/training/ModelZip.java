package io.github.moderncnns.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.moderncnns.architectures.LayerHelpers;
import io.github.moderncnns.data.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The model and checkpoint zips this project reads, checked before DL4J touches them, because a model file may come
 * from someone else. DL4J's {@code ModelSerializer} deserializes Java objects from some entries
 * ({@code preprocessor.bin}, {@code normalizer.bin}, {@code objects/*}) with {@code ObjectInputStream}, which lets a
 * crafted file run code in the JVM; and its {@code configuration.json} names the classes to instantiate. So a zip
 * is read only if:
 * <ul>
 *   <li>its entries are the ones DL4J writes for a graph ({@code configuration.json}, {@code coefficients.bin} or
 *   {@code noParams.marker}, optionally {@code updaterState.bin}) and ours ({@value #METADATA}, or the input-size
 *   entry of model files saved before it, read without deserializing);</li>
 *   <li>the configuration names only classes of DL4J, ND4J and this project;</li>
 *   <li>the sizes it declares are plausible (configuration at most 16 MiB, everything at most 8 GiB).</li>
 * </ul>
 * Otherwise the error names the file and the entry or class, and nothing is deserialized.
 */
final class ModelZip {
    /** Our metadata entry. */
    static final String METADATA = "moderncnns.json";
    /** The input size as model files before {@value #METADATA} stored it: a Java-serialized Integer. */
    static final String LEGACY_INPUT_SIZE = "objects/moderncnns-input-size";
    /** A mid-epoch checkpoint's entry: how far its epoch had got ({@link EpochProgress}). */
    static final String PROGRESS = "moderncnns-progress.json";
    private static final int MAX_JSON_ENTRY_BYTES = 64 * 1024;
    private static final String CONFIGURATION = "configuration.json";
    private static final Set<String> DL4J_ENTRIES = Set.of(CONFIGURATION, "coefficients.bin", "noParams.marker",
            "updaterState.bin");
    private static final List<String> TRUSTED_PACKAGES = List.of("org.deeplearning4j.", "org.nd4j.",
            "io.github.moderncnns.");
    private static final long MAX_CONFIGURATION_BYTES = 16L << 20;
    private static final long MAX_TOTAL_BYTES = 8L << 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelZip() {
    }

    /**
     * Checks a zip, then lets DL4J read the graph and its updater state.
     *
     * @param file a model or checkpoint zip
     * @return the graph, on the oneDNN helpers where available
     * @throws IOException naming the file and what is wrong with it
     */
    static ComputationGraph restore(Path file) throws IOException {
        check(file);
        return readChecked(file);
    }

    /**
     * Lets DL4J read a zip that {@link #check} accepted.
     *
     * @param file the checked zip
     * @return the graph, on the oneDNN helpers where available
     * @throws IOException if DL4J cannot read it
     */
    static ComputationGraph readChecked(Path file) throws IOException {
        try (LayerHelpers.Scope helpers = LayerHelpers.on()) { // helpers are chosen when the layers are created
            return ModelSerializer.restoreComputationGraph(file.toFile(), true);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not a DL4J ComputationGraph model file (" + describe(e) + ")", e);
        }
    }

    /**
     * Writes DL4J's zip of the model with its updater state plus one JSON entry of ours, atomically.
     *
     * @param model the model
     * @param file the zip to (re)place
     * @param entry the entry's name ({@value #METADATA} or {@value #PROGRESS})
     * @param value what Jackson writes into it
     * @throws IOException if writing fails; the file is then unchanged
     */
    static void write(ComputationGraph model, Path file, String entry, Object value) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = AtomicFiles.createTemporary(directory, file);
        try {
            ModelSerializer.writeModel(model, temporary.toFile(), true);
            try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + temporary.toUri()), Map.of())) {
                Files.write(zip.getPath(entry), JSON.writeValueAsBytes(value));
            }
            AtomicFiles.moveIntoPlace(temporary, file);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Reads one of our JSON entries (at most 64 KiB; Jackson into a record, no Java deserialization).
     *
     * @param file the zip
     * @param entry the entry's name
     * @param type the record it holds
     * @param <T> that type
     * @return the value, or empty if the zip has no such entry
     * @throws IOException naming the file and entry if it cannot be read or is not valid
     */
    static <T> Optional<T> readEntry(Path file, String entry, Class<T> type) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry found = zip.getEntry(entry);
            if (found == null) {
                return Optional.empty();
            }
            try (InputStream in = zip.getInputStream(found)) {
                return Optional.of(JSON.readValue(in.readNBytes(MAX_JSON_ENTRY_BYTES), type));
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException(file + ": " + entry + " is not valid (" + describe(e) + ")", e);
            }
        } catch (ZipException e) {
            throw new IOException(file + ": not a zip file (" + describe(e) + ")", e);
        }
    }

    /**
     * @param file a zip
     * @throws IOException if it is missing, not a zip, or holds what this project does not read
     */
    static void check(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such model file");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            long total = 0;
            boolean configuration = false;
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements();) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() && entry.getSize() <= 0) {
                    continue; // a folder holds nothing to read
                }
                if (!DL4J_ENTRIES.contains(name) && !name.equals(METADATA) && !name.equals(PROGRESS)
                        && !name.equals(LEGACY_INPUT_SIZE)) {
                    throw new IOException(file + ": unexpected entry '" + name + "'; a model file holds only "
                            + "configuration.json, coefficients.bin, updaterState.bin, " + METADATA + " and "
                            + PROGRESS + ", and entries DL4J would deserialize as Java objects are refused");
                }
                total += Math.max(0, entry.getSize());
                configuration |= name.equals(CONFIGURATION);
            }
            if (!configuration) {
                throw new IOException(file + ": no " + CONFIGURATION + "; not a DL4J model file");
            }
            if (total > MAX_TOTAL_BYTES) {
                throw new IOException(file + ": declares " + total + " bytes of content, more than the "
                        + MAX_TOTAL_BYTES
                        + " any network here needs");
            }
            checkClasses(file, zip);
        } catch (ZipException e) {
            throw new IOException(file + ": not a zip file (" + describe(e) + "); model files are DL4J zips", e);
        }
    }

    /** Every {@code @class} the configuration names must be DL4J's, ND4J's or ours. */
    private static void checkClasses(Path file, ZipFile zip) throws IOException {
        ZipEntry entry = zip.getEntry(CONFIGURATION);
        if (entry.getSize() > MAX_CONFIGURATION_BYTES) {
            throw new IOException(file + ": " + CONFIGURATION + " declares " + entry.getSize() + " bytes, more than "
                    + MAX_CONFIGURATION_BYTES);
        }
        JsonNode tree;
        try (InputStream in = zip.getInputStream(entry)) {
            tree = JSON.readTree(in.readNBytes((int) MAX_CONFIGURATION_BYTES + 1));
        } catch (IOException e) {
            throw new IOException(file + ": " + CONFIGURATION + " is not valid JSON (" + describe(e) + ")", e);
        }
        for (JsonNode named : tree.findValues("@class")) {
            String type = named.asText();
            if (TRUSTED_PACKAGES.stream().noneMatch(type::startsWith)) {
                throw new IOException(file + ": " + CONFIGURATION + " names the class '" + type + "', which is "
                        + "not part of DL4J, ND4J or modern-cnns; refusing to instantiate it");
            }
        }
    }

    /**
     * The input size of a model file saved before {@value #METADATA} existed, read from its bytes: the entry must be
     * exactly the Java serialization of an {@link Integer} (so nothing is deserialized).
     *
     * @param file the zip
     * @return the input size, if the entry exists
     * @throws IOException if the entry is not a serialized Integer
     */
    static Optional<Integer> legacyInputSize(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(LEGACY_INPUT_SIZE);
            if (entry == null) {
                return Optional.empty();
            }
            byte[] expected = serializedInteger();
            byte[] found;
            try (InputStream in = zip.getInputStream(entry)) {
                found = in.readNBytes(expected.length + 1);
            }
            int prefix = expected.length - Integer.BYTES;
            if (found.length != expected.length || !Arrays.equals(found, 0, prefix, expected, 0, prefix)) {
                throw new IOException(file + ": entry '" + LEGACY_INPUT_SIZE + "' is not an input size saved by "
                        + "modern-cnns; refusing to read it");
            }
            return Optional.of(ByteBuffer.wrap(found, prefix, Integer.BYTES).getInt());
        }
    }

    /** What {@code ObjectOutputStream} writes for an Integer (writing is safe; reading is what we avoid). */
    private static byte[] serializedInteger() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(Integer.valueOf(0));
        }
        return bytes.toByteArray();
    }

    /** A message that is never "null": the exception's type when it has no message. */
    static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
