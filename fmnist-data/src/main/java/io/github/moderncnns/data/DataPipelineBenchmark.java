package io.github.moderncnns.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures the data pipeline on the real dataset: the time to load the four files (decompress, validate, SHA-256),
 * the resize kernel's throughput on one thread, the iterator's end-to-end throughput (one epoch of the training
 * split with prefetch, the consumer doing nothing else) at the notebook's batch sizes and resolutions, and the peak
 * resident memory.
 *
 * <p>Not a test: numbers depend on the machine. Run it with a backend on the class path, e.g.
 * {@code mvn -q -pl fmnist-data test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.github.moderncnns.data.DataPipelineBenchmark}.
 */
public final class DataPipelineBenchmark {
    /** The augmentation measured against none: all three kinds, erasing every second image. */
    static final String AUGMENTATION = "crop:4,flip,erase:0.5";

    /** One measured configuration. */
    record Result(String what, double imagesPerSecond, double seconds) {
    }

    private DataPipelineBenchmark() {
    }

    /**
     * Runs the benchmark and prints a table.
     *
     * @param args ignored
     * @throws DatasetException if the dataset cannot be loaded
     */
    public static void main(String[] args) throws DatasetException {
        List<Result> results = new ArrayList<>();
        double[] loads = new double[3];
        FashionMnist data = null;
        for (int i = 0; i < loads.length; i++) {
            data = FashionMnist.loader().optDownload(false).load();
            loads[i] = data.provenance().loadTime().toNanos() / 1e9;
        }
        Arrays.sort(loads);
        System.out.printf(Locale.ROOT, "Loaded %s (%s): median of 3 loads %.3f s (decompress, validate, SHA-256)%n",
                data.provenance().directory(), data.provenance().origin(), loads[1]);

        for (int side : new int[] {96, 224}) {
            results.add(resize(data.train(), side));
        }
        TrainValidationSplit split = data.split(FashionMnist.NOTEBOOK_SPLIT_SEED);
        Augmentation augmentation = Augmentation.parse(AUGMENTATION);
        for (Augmentation each : List.of(Augmentation.none(), augmentation)) {
            results.add(iterate(split.train(), 256, 0, each));
            results.add(iterate(split.train(), 256, 96, each));
            results.add(iterate(split.train(), 128, 224, each));
        }

        System.out.printf(Locale.ROOT, "%-70s %14s %10s%n", "measurement", "images/s", "seconds");
        for (Result result : results) {
            System.out.printf(Locale.ROOT, "%-70s %,14.0f %10.2f%n", result.what(), result.imagesPerSecond(),
                    result.seconds());
        }
        long peak = peakResidentBytes();
        System.out.println("Peak resident memory of this JVM (VmHWM): "
                + (peak < 0 ? "unknown" : String.format(Locale.ROOT, "%,d MB", peak >> 20)));
    }

    /**
     * The process's peak resident set size (heap, off-heap and native libraries), as Linux reports it.
     *
     * @return bytes, or -1 where {@code /proc/self/status} does not exist
     */
    public static long peakResidentBytes() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmHWM:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024).findFirst().orElse(-1);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static Result resize(ImageSet images, int side) {
        PilBilinearResizer resizer = new PilBilinearResizer(images.side(), side);
        float[] out = new float[side * side];
        byte[] pixels = images.pixelArray();
        int warmup = 5_000;
        for (int i = 0; i < warmup; i++) {
            resizer.resize(pixels, images.pixelOffset(i), out, 0);
        }
        int n = images.size();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            resizer.resize(pixels, images.pixelOffset(i), out, 0);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result("resize 28->" + side + " (1 thread, " + n + " images)", n / seconds, seconds);
    }

    private static Result iterate(ImageSet images, int batchSize, int resize, Augmentation augmentation) {
        FashionMnistIterator.Builder builder = FashionMnistIterator.builder().setImages(images)
                .setBatchSize(batchSize).optShuffleSeed(42).optAugmentation(augmentation);
        if (resize > 0) {
            builder.optResize(resize);
        }
        try (FashionMnistIterator iterator = builder.build()) {
            drain(iterator); // warm-up epoch
            iterator.reset();
            long start = System.nanoTime();
            int n = drain(iterator);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result("iterator batch " + batchSize + " at " + iterator.side() + "x" + iterator.side()
                    + " (1 epoch" + (augmentation.isNone() ? ")" : ", " + augmentation + ")"), n / seconds, seconds);
        }
    }

    private static int drain(FashionMnistIterator iterator) {
        int n = 0;
        while (iterator.hasNext()) {
            n += iterator.next().numExamples();
        }
        return n;
    }
}
