package io.github.moderncnns.architectures;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The shape printouts in the notebook's own terms, row for row as the notebook's cells print them. */
class NotebookShapesTest {

    /** The notebook's AlexNet cell output, row for row. */
    @Test
    void alexNetPrintsTheNotebooksTwentyOneRowsWithFlatten6400() {
        List<String> printed = rows(NotebookShapes.of(NotebookModel.ALEXNET));

        assertThat(printed).containsExactly("Conv2d [1, 96, 54, 54]", "ReLU [1, 96, 54, 54]",
                "MaxPool2d [1, 96, 26, 26]", "Conv2d [1, 256, 26, 26]", "ReLU [1, 256, 26, 26]",
                "MaxPool2d [1, 256, 12, 12]", "Conv2d [1, 384, 12, 12]", "ReLU [1, 384, 12, 12]",
                "Conv2d [1, 384, 12, 12]", "ReLU [1, 384, 12, 12]", "Conv2d [1, 256, 12, 12]",
                "ReLU [1, 256, 12, 12]", "MaxPool2d [1, 256, 5, 5]", "Flatten [1, 6400]", "Linear [1, 4096]",
                "ReLU [1, 4096]", "Dropout [1, 4096]", "Linear [1, 4096]", "ReLU [1, 4096]", "Dropout [1, 4096]",
                "Linear [1, 10]");
    }

    @Test
    void vggPrintsOneSequentialRowPerBlockHalvingTheSideToSeven() {
        assertThat(rows(NotebookShapes.of(NotebookModel.VGG11))).containsExactly("Sequential [1, 64, 112, 112]",
                "Sequential [1, 128, 56, 56]", "Sequential [1, 256, 28, 28]", "Sequential [1, 512, 14, 14]",
                "Sequential [1, 512, 7, 7]", "Flatten [1, 25088]", "Linear [1, 4096]", "ReLU [1, 4096]",
                "Dropout [1, 4096]", "Linear [1, 4096]", "ReLU [1, 4096]", "Dropout [1, 4096]", "Linear [1, 10]");
    }

    /** The notebook prints ResNet-18 at 224 (b1 to b5, pooling, flatten, linear), though it trains at 96. */
    @Test
    void resNetPrintsItsFiveModulesAt224() {
        assertThat(rows(NotebookShapes.of(NotebookModel.RESNET18))).containsExactly("Sequential [1, 64, 56, 56]",
                "Sequential [1, 64, 56, 56]", "Sequential [1, 128, 28, 28]", "Sequential [1, 256, 14, 14]",
                "Sequential [1, 512, 7, 7]", "AdaptiveAvgPool2d [1, 512, 1, 1]", "Flatten [1, 512]",
                "Linear [1, 10]");
    }

    @Test
    void batchNormLeNetInPyTorchsModulesAt28() {
        NotebookShapes shapes = NotebookShapes.of(NotebookModel.LENET_BN);

        assertThat(rows(shapes)).containsExactly("Conv2d [1, 6, 24, 24]", "BatchNorm2d [1, 6, 24, 24]",
                "Sigmoid [1, 6, 24, 24]", "AvgPool2d [1, 6, 12, 12]", "Conv2d [1, 16, 8, 8]",
                "BatchNorm2d [1, 16, 8, 8]", "Sigmoid [1, 16, 8, 8]", "AvgPool2d [1, 16, 4, 4]", "Flatten [1, 256]",
                "Linear [1, 120]", "BatchNorm1d [1, 120]", "Sigmoid [1, 120]", "Linear [1, 84]",
                "BatchNorm1d [1, 84]", "Sigmoid [1, 84]", "Linear [1, 10]");
        assertThat(shapes.toString()).contains("Flatten     output shape:\t [1, 256]");
    }

    private static List<String> rows(NotebookShapes shapes) {
        return shapes.rows().stream().map(r -> r.module() + " " + r.shapeText()).toList();
    }
}
