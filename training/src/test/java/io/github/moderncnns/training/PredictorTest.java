package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.moderncnns.architectures.ResNet;
import io.github.moderncnns.data.FashionMnistIterator;
import io.github.moderncnns.data.ImageSet;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Image files are prepared exactly as training batches are. */
class PredictorTest {
    @TempDir
    Path dir;

    private static final ImageSet IMAGES = SyntheticData.images(3, 7);

    private Path png(int i, int type) throws IOException {
        byte[] pixels = IMAGES.image(i);
        BufferedImage image = new BufferedImage(28, 28, type);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = pixels[y * 28 + x] & 0xff;
                if (type == BufferedImage.TYPE_BYTE_GRAY) {
                    image.getRaster().setSample(x, y, 0, v); // setRGB would convert colour spaces
                } else {
                    image.setRGB(x, y, 0xff000000 | v << 16 | v << 8 | v);
                }
            }
        }
        Path file = dir.resolve("image-" + i + "-" + type + ".png");
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    @Test
    void aPngGivesTheSameProbabilitiesAsTheTrainingPipeline() throws Exception {
        ComputationGraph model = ResNet.builder().optBlocks(1, 1, 1, 1).build().init();
        FashionMnistIterator iterator = FashionMnistIterator.builder().setImages(IMAGES).setBatchSize(3)
                .optResize(96).build();
        INDArray expected = model.output(false, iterator.next().getFeatures())[0];

        List<Predictor.Prediction> predictions = new Predictor(model, 96).predict(List.of(
                png(0, BufferedImage.TYPE_BYTE_GRAY), png(1, BufferedImage.TYPE_INT_RGB),
                png(2, BufferedImage.TYPE_BYTE_GRAY)));

        assertThat(predictions).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(predictions.get(i).probabilities()).containsExactly(expected.getRow(i).toDoubleVector());
            assertThat(predictions.get(i).label()).isEqualTo(expected.getRow(i).argMax().getInt(0));
        }
        assertThat(predictions.get(0).toString()).startsWith(dir.resolve("image-0-10.png") + ": ")
                .contains(predictions.get(0).className()).endsWith("%)");
    }

    @Test
    void unreadableFilesAreNamed() throws Exception {
        Predictor predictor = new Predictor(ResNet.builder().optBlocks(1, 1, 1, 1).build().init(), 96);
        Path text = Files.writeString(dir.resolve("notes.png"), "not an image");

        assertThatThrownBy(() -> predictor.predict(List.of(text))).isInstanceOf(IOException.class)
                .hasMessage(text + ": not a readable image; expected PNG, JPEG, GIF or BMP");
        assertThatThrownBy(() -> predictor.predict(List.of(dir.resolve("gone.jpg")))).isInstanceOf(IOException.class)
                .hasMessage(dir.resolve("gone.jpg") + ": no such image file");
    }

    /** A tiny PNG whose header claims 100,000 x 100,000 pixels must be refused before any pixel is decoded. */
    @Test
    void anImageClaimingAHugeSizeIsRefusedBeforeDecoding() throws Exception {
        Predictor predictor = new Predictor(ResNet.builder().optBlocks(1, 1, 1, 1).build().init(), 96);
        byte[] png = Files.readAllBytes(png(0, BufferedImage.TYPE_BYTE_GRAY));
        java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(png);
        header.putInt(16, 100_000).putInt(20, 100_000); // IHDR width and height
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17); // "IHDR" and its 13 bytes
        header.putInt(29, (int) crc.getValue());
        Path bomb = Files.write(dir.resolve("bomb.png"), png);

        assertThatThrownBy(() -> predictor.predict(List.of(bomb))).isInstanceOf(IOException.class)
                .hasMessage(bomb + ": 100000x100000 pixels; predict reads images of at most 50,000,000 pixels: scale "
                        + "it down first");
        Path truncated = Files.write(dir.resolve("truncated.png"), java.util.Arrays.copyOf(Files.readAllBytes(
                png(1, BufferedImage.TYPE_INT_RGB)), 60));
        assertThatThrownBy(() -> predictor.predict(List.of(truncated))).isInstanceOf(IOException.class)
                .hasMessageStartingWith(truncated + ": not a readable image (");
    }

    @Test
    void manyFilesArePredictedInBoundedBatches() throws Exception {
        Predictor predictor = new Predictor(ResNet.builder().optBlocks(1, 1, 1, 1).build().init(), 28);
        Path one = png(0, BufferedImage.TYPE_BYTE_GRAY);
        List<Path> files = java.util.Collections.nCopies(2 * Predictor.BATCH + 3, one);

        List<Predictor.Prediction> predictions = predictor.predict(files);

        assertThat(predictions).hasSize(files.size());
        assertThat(predictions).extracting(Predictor.Prediction::label).containsOnly(predictions.get(0).label());
    }

    /**
     * Every mode the JDK decodes gives the gray values Pillow's {@code convert("L")} gives (fixtures from Pillow 9.4,
     * tools/make_gray_fixtures.py): 8- and 16-bit gray (Pillow clips 16-bit at 255), gray+alpha, RGB, RGBA and
     * palette PNGs, GIF, BMP and baseline JPEG; CMYK JPEGs are refused with the fix.
     */
    @Test
    void everyImageModeGivesPillowsGrayValues() throws Exception {
        Path fixtures = Path.of("src/test/resources/fixtures/pillow-gray");
        com.fasterxml.jackson.databind.JsonNode expected = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(fixtures.resolve("expected.json").toFile());
        int checked = 0;
        for (var names = expected.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (expected.get(name).get("mode").asText().equals("CMYK")) {
                Predictor predictor = new Predictor(ResNet.builder().optBlocks(1, 1, 1, 1).build().init(), 28);
                assertThatThrownBy(() -> predictor.predict(List.of(fixtures.resolve(name))))
                        .isInstanceOf(IOException.class).hasMessageContaining("a CMYK image")
                        .hasMessageEndingWith("convert it to RGB first (for example Image.open(f).convert('RGB')"
                                + ".save(...))");
                continue;
            }
            byte[] gray = Predictor.grayscale(ImageIO.read(fixtures.resolve(name).toFile())).pixels();
            int[] actual = new int[gray.length];
            for (int p = 0; p < gray.length; p++) {
                actual[p] = gray[p] & 0xff;
            }
            int[] pillow = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(
                    expected.get(name).get("gray"), int[].class);
            assertThat(actual).as(name + " (" + expected.get(name).get("mode").asText() + ")").containsExactly(pillow);
            checked++;
        }
        assertThat(checked).isEqualTo(12);
    }

    @Test
    void savedModelsKnowTheirInputSize() throws Exception {
        ComputationGraph model = ResNet.builder().optBlocks(1, 1, 1, 1).build().init();
        Path file = dir.resolve("model.zip");
        ModelFiles.save(model, 96, file);

        ModelFiles.SavedModel saved = ModelFiles.load(file);

        assertThat(saved.inputSize()).isEqualTo(96);
        assertThat(saved.model().params()).isEqualTo(model.params());
        assertThatThrownBy(() -> ModelFiles.load(dir.resolve("none.zip"))).hasMessage(dir.resolve("none.zip")
                + ": no such model file");
        Path bogus = Files.writeString(dir.resolve("bogus.zip"), "zip?");
        assertThatThrownBy(() -> ModelFiles.load(bogus)).hasMessageStartingWith(bogus
                + ": not a zip file");
    }
}
