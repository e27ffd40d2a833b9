package io.github.moderncnns.training;

import io.github.moderncnns.data.FashionMnist;
import io.github.moderncnns.data.PilBilinearResizer;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Classifies image files (PNG, JPEG, or anything else Java's ImageIO reads) with a trained model, preparing them as
 * training did: converted to 8-bit grayscale as Pillow's {@code convert("L")}, resized to the model's input size
 * with Pillow's bilinear filter (a non-square image is stretched to the square), scaled to [0, 1].
 * Fashion-MNIST shows light garments on a black background; photos of dark objects on white should be inverted
 * first.
 */
public final class Predictor {
    /** Images decoded and classified at a time. */
    static final int BATCH = 64;
    /** The largest image decoded (about 200 MB of pixels as Java holds them). */
    static final long MAX_PIXELS = 50_000_000;

    private final ComputationGraph model;
    private final int side;

    /**
     * @param model a trained classifier of 1-channel images
     * @param side the side of its square input images, in pixels
     */
    public Predictor(ComputationGraph model, int side) {
        this.model = model;
        this.side = side;
    }

    /**
     * @param saved a model file's content ({@link ModelFiles#load})
     * @return a predictor for it
     */
    public static Predictor of(ModelFiles.SavedModel saved) {
        return new Predictor(saved.model(), saved.inputSize());
    }

    /**
     * One image's result.
     *
     * @param file the image file
     * @param label the predicted class number
     * @param probabilities the probability of each class
     */
    public record Prediction(Path file, int label, double[] probabilities) {
        /** The predicted class's name. */
        public String className() {
            return FashionMnist.CLASS_NAMES.get(label);
        }

        /** {@code file: Class (97.3 %)}. */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %s (%.1f %%)", file, className(), 100 * probabilities[label]);
        }
    }

    /**
     * @param files image files
     * @return one prediction per file, in order
     * @throws IOException naming the file if one is missing or not a readable image
     */
    public List<Prediction> predict(List<Path> files) throws IOException {
        List<Prediction> predictions = new ArrayList<>();
        for (int start = 0; start < files.size(); start += BATCH) {
            predictions.addAll(predictBatch(files.subList(start, Math.min(files.size(), start + BATCH))));
        }
        return predictions;
    }

    /** At most {@value #BATCH} files at a time, so that any number of files fits in memory. */
    private List<Prediction> predictBatch(List<Path> files) throws IOException {
        float[] pixels = new float[files.size() * side * side];
        for (int i = 0; i < files.size(); i++) {
            GrayImage gray;
            try {
                gray = grayscale(read(files.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IOException(files.get(i) + ": " + e.getMessage(), e);
            }
            new PilBilinearResizer(gray.width(), gray.height(), side, side).resize(gray.pixels(), 0, pixels,
                    i * side * side);
        }
        INDArray probabilities = model.output(false,
                Nd4j.create(pixels, new long[] {files.size(), 1, side, side}, 'c'))[0];
        List<Prediction> predictions = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            double[] row = probabilities.getRow(i).toDoubleVector();
            predictions.add(new Prediction(files.get(i), probabilities.getRow(i).argMax().getInt(0), row));
        }
        return predictions;
    }

    /**
     * Decodes an image after checking its size in its header, so that a small file claiming a huge image cannot
     * exhaust memory; a decoder's failure on a broken file becomes an error that names the file.
     */
    private static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such image file");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator()
                    : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(file + ": not a readable image; expected PNG, JPEG, GIF or BMP");
            }
            ImageReader reader = readers.next();
            try {
                long[] size = decode(file, () -> {
                    reader.setInput(in, true, true);
                    return new long[] {reader.getWidth(0), reader.getHeight(0)};
                });
                if (size[0] < 1 || size[1] < 1 || size[0] * size[1] > MAX_PIXELS) {
                    throw new IOException(String.format(Locale.ROOT, "%s: %dx%d pixels; predict reads images of "
                            + "at most %,d pixels: scale it down first", file, size[0], size[1], MAX_PIXELS));
                }
                return decode(file, () -> reader.read(0));
            } finally {
                reader.dispose();
            }
        }
    }

    /** A step of decoding, which may fail in any way on malformed data. */
    @FunctionalInterface
    private interface Decoding<T> {
        T run() throws IOException;
    }

    /** Runs a decoding step; what decoders throw on a broken file becomes an error that names the file. */
    private static <T> T decode(Path file, Decoding<T> step) throws IOException {
        try {
            return step.run();
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not a readable image (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }

    /** An 8-bit grayscale image, row-major. */
    record GrayImage(int width, int height, byte[] pixels) {
    }

    /**
     * 8-bit luminance as Pillow's {@code convert("L")}: colour (RGB, RGBA, palette) as (19595 R + 38470 G + 7471 B
     * + 0x8000) >> 16, alpha ignored; a grayscale image's samples as they are (Java's {@code getRGB} would apply a
     * colour-space conversion), 16-bit ones clipped at 255 as Pillow does (its 16-bit images open in mode "I").
     * Checked against Pillow 9.4 on PNG (8- and 16-bit gray, gray+alpha, RGB, RGBA, palette), GIF and BMP files:
     * {@code PredictorTest}.
     */
    static GrayImage grayscale(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] gray = new byte[width * height];
        ColorModel colors = image.getColorModel();
        if (colors.getColorSpace().getType() == ColorSpace.TYPE_CMYK) {
            throw new IllegalArgumentException("a CMYK image, whose colours Java's decoder does not give as Pillow "
                    + "does; convert it to RGB first (for example Image.open(f).convert('RGB').save(...))");
        }
        if (colors.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(colors instanceof IndexColorModel)) {
            int[] samples = image.getRaster().getSamples(0, 0, width, height, 0, (int[]) null); // band 0: gray
            for (int p = 0; p < samples.length; p++) {
                gray[p] = (byte) Math.min(255, samples[p]);
            }
            return new GrayImage(width, height, gray);
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                gray[y * width + x] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
            }
        }
        return new GrayImage(width, height, gray);
    }
}
