package io.github.moderncnns.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PilBilinearResizerTest {
    private static final ResizeFixture FIXTURE = ResizeFixture.load();

    @Test
    void isBitIdenticalToTorchvisionResizeAndToTensor() {
        assertThat(FIXTURE.images()).hasSize(24);
        assertThat(FIXTURE.sizes()).containsExactly(14, 96, 224);
        for (int s = 0; s < FIXTURE.sizes().length; s++) {
            int side = FIXTURE.sizes()[s];
            PilBilinearResizer resizer = new PilBilinearResizer(28, side);
            float[] out = new float[side * side];
            for (ResizeFixture.Image image : FIXTURE.images()) {
                resizer.resize(image.source(), 0, out, 0);
                byte[] expected = image.resized().get(s);
                float worst = 0;
                for (int p = 0; p < out.length; p++) {
                    worst = Math.max(worst, Math.abs(out[p] - (expected[p] & 0xff) / 255f));
                }
                assertThat(worst).as("largest difference at %d for %s image %d", side,
                        image.test() ? "test" : "train", image.index()).isZero();
            }
        }
    }

    @Test
    void resizesNonSquareImagesAsPillow() throws Exception {
        try (java.io.DataInputStream in = new java.io.DataInputStream(
                getClass().getResourceAsStream("/fixtures/pil-resize-rect.bin"))) {
            int width = in.readInt();
            int height = in.readInt();
            byte[] source = in.readNBytes(width * height);
            for (int target = 0; target < 2; target++) {
                int outWidth = in.readInt();
                int outHeight = in.readInt();
                byte[] expected = in.readNBytes(outWidth * outHeight);
                float[] out = new float[outWidth * outHeight];

                new PilBilinearResizer(width, height, outWidth, outHeight).resize(source, 0, out, 0);

                for (int p = 0; p < out.length; p++) {
                    assertThat(out[p]).as("%dx%d pixel %d", outWidth, outHeight, p)
                            .isEqualTo((expected[p] & 0xff) / 255f);
                }
            }
        }
    }

    @Test
    void honoursOffsetsAndKeepsAConstantImageConstant() {
        byte[] source = new byte[5 + 28 * 28];
        java.util.Arrays.fill(source, (byte) 200);
        float[] out = new float[3 + 96 * 96];
        PilBilinearResizer resizer = new PilBilinearResizer(28, 96);

        resizer.resize(source, 5, out, 3);

        assertThat(out[0]).isZero();
        for (int p = 3; p < out.length; p++) {
            assertThat(out[p]).isEqualTo(200 / 255f);
        }
        assertThat(resizer.inWidth()).isEqualTo(28);
        assertThat(resizer.outWidth()).isEqualTo(96);
        assertThat(resizer.outHeight()).isEqualTo(96);
    }
}
