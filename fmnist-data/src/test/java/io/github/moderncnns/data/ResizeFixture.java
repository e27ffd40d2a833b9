package io.github.moderncnns.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Real Fashion-MNIST images and torchvision's {@code Resize(n)} + {@code ToTensor()} output for them (as bytes,
 * exact), written by {@code tools/make_data_fixtures.py}.
 */
record ResizeFixture(int[] sizes, List<Image> images) {
    /** One source image and its resized versions, one per size. */
    record Image(boolean test, int index, byte[] source, List<byte[]> resized) {
    }

    static ResizeFixture load() {
        try (InputStream raw = ResizeFixture.class.getResourceAsStream("/fixtures/torch-resize.bin.gz");
                DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
            int count = in.readInt();
            int[] sizes = new int[in.readInt()];
            for (int s = 0; s < sizes.length; s++) {
                sizes[s] = in.readInt();
            }
            List<Image> images = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                boolean test = in.readInt() == 1;
                int index = in.readInt();
                byte[] source = in.readNBytes(28 * 28);
                List<byte[]> resized = new ArrayList<>();
                for (int size : sizes) {
                    resized.add(in.readNBytes(size * size));
                }
                images.add(new Image(test, index, source, resized));
            }
            return new ResizeFixture(sizes, images);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
