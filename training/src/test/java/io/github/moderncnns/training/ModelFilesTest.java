package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.moderncnns.architectures.BatchNormLeNet;
import io.github.moderncnns.architectures.NotebookModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files: our metadata as JSON, old files still load, and nothing in a file makes us deserialize objects. */
class ModelFilesTest {
    @TempDir
    Path dir;
    private ComputationGraph model;

    /** Records whether Java deserialization ever ran on it. */
    static final class Tripwire implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean deserialized;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            deserialized = true;
        }
    }

    @BeforeEach
    void build() {
        model = BatchNormLeNet.builder().build().init();
        Tripwire.deserialized = false;
    }

    @Test
    void theInputSizeAndTheNetworkAreStoredAsJsonAndReadBack() throws Exception {
        Path file = dir.resolve("model.zip");
        ModelFiles.save(model, 28, NotebookModel.LENET_BN, file);

        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertThat(zip.stream().map(e -> e.getName()).toList())
                    .containsExactlyInAnyOrder("configuration.json", "coefficients.bin", "moderncnns.json");
            assertThat(new String(zip.getInputStream(zip.getEntry("moderncnns.json")).readAllBytes(),
                    StandardCharsets.UTF_8)).isEqualTo("{\"format\":1,\"inputSize\":28,\"model\":\"lenet-bn\"}");
        }
        ModelFiles.SavedModel loaded = ModelFiles.load(file);
        assertThat(loaded.inputSize()).isEqualTo(28);
        assertThat(loaded.network()).isEqualTo(NotebookModel.LENET_BN);
        assertThat(loaded.model().params()).isEqualTo(model.params());

        Path unnamed = dir.resolve("unnamed.zip"); // saved without the network, as before the field existed
        ModelFiles.save(model, 28, unnamed);
        assertThat(ModelFiles.load(unnamed).network()).isNull();
        assertThat(ModelFiles.load(unnamed).notebookModel()).as("recognised by its parameters")
                .contains(NotebookModel.LENET_BN);
    }

    @Test
    void modelFilesFromBeforeTheJsonEntryStillLoadWithoutDeserializing() throws Exception {
        Path file = dir.resolve("old.zip");
        ModelSerializer.writeModel(model, file.toFile(), true);
        ModelSerializer.addObjectToFile(file.toFile(), "moderncnns-input-size", 96); // what 0.1.0 did

        assertThat(ModelFiles.load(file).inputSize()).isEqualTo(96);
    }

    @Test
    void anOldInputSizeEntryThatIsNotAnIntegerIsRefusedUnread() throws Exception {
        Path file = dir.resolve("crafted.zip");
        ModelSerializer.writeModel(model, file.toFile(), true);
        addEntry(file, "objects/moderncnns-input-size", serialized(new Tripwire()));

        assertThatThrownBy(() -> ModelFiles.load(file)).isInstanceOf(IOException.class)
                .hasMessage(file + ": entry 'objects/moderncnns-input-size' is not an input size saved by "
                        + "modern-cnns; refusing to read it");
        assertThat(Tripwire.deserialized).isFalse();
    }

    @Test
    void entriesThatDl4jWouldDeserializeAreRefusedAndNamed() throws Exception {
        for (String entry : new String[] {"preprocessor.bin", "normalizer.bin", "objects/anything"}) {
            Path file = dir.resolve(entry.replace('/', '-') + ".zip");
            ModelSerializer.writeModel(model, file.toFile(), true);
            addEntry(file, entry, serialized(new Tripwire()));

            assertThatThrownBy(() -> ModelFiles.load(file)).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(file + ": unexpected entry '" + entry + "'; a model file holds only");
            assertThatThrownBy(() -> new Checkpoints.Saved(file, 1).load())
                    .hasMessageStartingWith(file + ": unexpected entry '" + entry + "'");
        }
        assertThat(Tripwire.deserialized).isFalse();
    }

    @Test
    void aConfigurationNamingAForeignClassIsRefused() throws Exception {
        Path file = dir.resolve("foreign.zip");
        ModelFiles.save(model, 28, file);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + file.toUri()), Map.of())) {
            Path configuration = zip.getPath("configuration.json");
            Files.writeString(configuration, Files.readString(configuration).replaceFirst(
                    "org\\.nd4j\\.linalg\\.activations\\.impl\\.ActivationSigmoid", "com.example.Gadget"));
        }

        assertThatThrownBy(() -> ModelFiles.load(file)).isInstanceOf(IOException.class)
                .hasMessage(file + ": configuration.json names the class 'com.example.Gadget', which is not part of "
                        + "DL4J, ND4J or modern-cnns; refusing to instantiate it");
    }

    @Test
    void whatIsNotAModelZipSaysSo() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.zip"), "not a zip");
        assertThatThrownBy(() -> ModelFiles.load(text)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(text + ": not a zip file (")
                .hasMessageEndingWith("); model files are DL4J zips");
        assertThatThrownBy(() -> ModelFiles.load(dir.resolve("missing.zip")))
                .hasMessage(dir.resolve("missing.zip") + ": no such model file");

        Path bare = dir.resolve("bare.zip");
        ModelSerializer.writeModel(model, bare.toFile(), true);
        assertThatThrownBy(() -> ModelFiles.load(bare)).hasMessage(bare + ": a DL4J model without its input size; "
                + "it was not saved by modern-cnns (save it with ModelFiles.save)");
    }

    private static byte[] serialized(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static void addEntry(Path zipFile, String name, byte[] content) throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + zipFile.toUri()), Map.of())) {
            Path entry = zip.getPath(name);
            if (entry.getParent() != null) {
                Files.createDirectories(entry.getParent());
            }
            Files.write(entry, content);
        }
    }
}
