package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.moderncnns.architectures.ResNet;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random corruptions of valid PNG, JPEG, GIF and BMP files: {@code predict} either classifies the file or throws an
 * {@link IOException} that names it; never another exception, never a hang.
 */
class ImageFilesPropertiesTest {
    private static final Map<String, byte[]> VALID = new java.util.LinkedHashMap<>();
    private static Predictor predictor;
    private static Path dir;

    @BeforeContainer
    static void prepare() throws IOException {
        BufferedImage image = new BufferedImage(20, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 20; x++) {
                image.setRGB(x, y, (x * 12) << 16 | (y * 15) << 8 | (x + y) * 5);
            }
        }
        for (String format : List.of("png", "jpg", "gif", "bmp")) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(image, format, bytes);
            VALID.put(format, bytes.toByteArray());
        }
        predictor = new Predictor(ResNet.builder().optBlocks(1, 1, 1, 1).build().init(), 28);
        dir = Files.createTempDirectory("image-properties");
    }

    @Property(tries = 200)
    void truncatedImagesAreNamedErrors(@ForAll @IntRange(min = 0, max = 3) int format,
            @ForAll @IntRange(min = 0, max = 9_999) int keepPermille) throws Exception {
        byte[] valid = valid(format);
        check(Arrays.copyOf(valid, (int) ((long) valid.length * keepPermille / 10_000)), format);
    }

    @Property(tries = 300)
    void changedBytesAreReadOrNamedErrors(@ForAll @IntRange(min = 0, max = 3) int format,
            @ForAll @IntRange(min = 0, max = 1_000_000) int where, @ForAll byte value,
            @ForAll @IntRange(min = 1, max = 6) int count) throws Exception {
        byte[] corrupt = valid(format).clone();
        for (int i = 0; i < count; i++) {
            corrupt[(where + i * 7919) % corrupt.length] = (byte) (value + 31 * i);
        }
        check(corrupt, format);
    }

    @Property(tries = 50)
    void anythingElseIsANamedError(@ForAll @AlphaChars @StringLength(max = 200) String text) throws Exception {
        check(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0);
    }

    private static byte[] valid(int format) {
        return VALID.values().stream().skip(format).findFirst().orElseThrow();
    }

    private static void check(byte[] content, int format) throws Exception {
        String extension = VALID.keySet().stream().skip(format).findFirst().orElseThrow();
        Path file = Files.write(Files.createTempFile(dir, "corrupt", "." + extension), content);
        Throwable thrown = CompletableFuture.supplyAsync(() -> {
            try {
                assertThat(predictor.predict(List.of(file))).hasSize(1);
                return null;
            } catch (IOException e) {
                return e;
            } catch (RuntimeException e) {
                return e;
            }
        }).get(20, TimeUnit.SECONDS); // no hang
        Files.delete(file);
        if (thrown != null) {
            assertThat(thrown).as("only the documented exception").isInstanceOf(IOException.class)
                    .isNotInstanceOf(UncheckedIOException.class);
            assertThat(thrown.getMessage()).startsWith(file.toString()).doesNotContain("null");
        }
    }
}
