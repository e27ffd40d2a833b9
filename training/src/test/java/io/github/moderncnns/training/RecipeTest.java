package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.architectures.ResNet;
import io.github.moderncnns.data.Augmentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/** The notebook's recipes, the built-in ones beyond it, recipe files and run.json files of every version. */
class RecipeTest {
    @TempDir
    Path dir;

    @Test
    void theNotebooksHyperParameters() {
        assertThat(Recipe.notebook(NotebookModel.ALEXNET)).extracting(Recipe::batchSize, r -> r.optimizer()
                .learningRate(), Recipe::epochs, Recipe::resize).containsExactly(128, 0.01, 5, 224);
        assertThat(Recipe.notebook(NotebookModel.VGG11_SMALL)).extracting(Recipe::batchSize, r -> r.optimizer()
                .learningRate(), Recipe::epochs, Recipe::resize).containsExactly(128, 0.05, 5, 224);
        assertThat(Recipe.notebook(NotebookModel.LENET_BN)).extracting(Recipe::batchSize, r -> r.optimizer()
                .learningRate(), Recipe::epochs, Recipe::resize).containsExactly(256, 1.0, 10, 28);
        assertThat(Recipe.notebook(NotebookModel.RESNET18)).extracting(Recipe::batchSize, r -> r.optimizer()
                .learningRate(), Recipe::epochs, Recipe::resize).containsExactly(256, 0.05, 5, 96);
        Recipe lenet = Recipe.notebook(NotebookModel.LENET_BN);
        assertThat(lenet.name()).isEqualTo("notebook-lenet-bn");
        assertThat(lenet.optimizer()).isEqualTo(Optimizer.sgd(1.0));
        assertThat(lenet.schedule()).isEqualTo(Schedule.CONSTANT);
        assertThat(lenet.augmentation()).isEqualTo(Augmentation.none());
        assertThat(lenet.notebookSettings()).isTrue();
        assertThat(lenet.withEpochs(3).notebookSettings()).isFalse();
        assertThat(lenet.label()).isEqualTo("notebook-lenet-bn");
        assertThat(lenet.withEpochs(3).label()).isEqualTo("notebook-lenet-bn, changed");
        assertThat(lenet.withEpochs(3).withName("mine").label()).isEqualTo("mine");
    }

    @Test
    void overridesAreValidated() {
        Recipe recipe = Recipe.notebook(NotebookModel.LENET_BN).withEpochs(2).withBatchSize(64)
                .withLearningRate(0.5).withResize(32);
        assertThat(recipe).extracting(Recipe::batchSize, r -> r.optimizer().learningRate(), Recipe::epochs,
                Recipe::resize).containsExactly(64, 0.5, 2, 32);
        assertThatThrownBy(() -> recipe.withEpochs(-1)).hasMessage("epochs must be at least 1, found -1");
        assertThatThrownBy(() -> recipe.withLearningRate(Double.NaN))
                .hasMessage("learning rate must be a positive number, found NaN");
        assertThatThrownBy(() -> recipe.withStem(ResNet.Stem.SMALL_IMAGES))
                .hasMessage("only resnet18 has a choice of stem; lenet-bn has the notebook's");
        assertThatThrownBy(() -> recipe.withSchedule(new Schedule(Schedule.Shape.COSINE, 2)))
                .hasMessage("a warm-up of 2 epochs leaves nothing of 2 epochs; use fewer warm-up epochs or more epochs");
        assertThatThrownBy(() -> new Optimizer(Optimizer.Kind.ADAM, 0.1, 0.9, 0))
                .hasMessage("the adam optimizer has no momentum (found 0.9); choose momentum or nesterov");
        assertThat(Optimizer.sgd(0.1).withKind(Optimizer.Kind.NESTEROV).momentum()).isEqualTo(0.9);
    }

    @Test
    void builtInRecipesAreListedAndUnknownNamesListThem() {
        assertThat(Recipe.builtInNames()).containsExactly("notebook-alexnet", "notebook-vgg11", "notebook-vgg11-small",
                "notebook-lenet-bn", "notebook-resnet18", "resnet18-fmnist");
        for (String name : Recipe.builtInNames()) {
            assertThat(Recipe.builtIn(name).name()).isEqualTo(name);
        }
        assertThat(Recipe.builtIn("notebook-resnet18")).isEqualTo(Recipe.notebook(NotebookModel.RESNET18));
        assertThatThrownBy(() -> Recipe.builtIn("resnet50")).hasMessage("unknown recipe 'resnet50'; the built-in "
                + "recipes are notebook-alexnet, notebook-vgg11, notebook-vgg11-small, notebook-lenet-bn, "
                + "notebook-resnet18, resnet18-fmnist (or give a recipe file)");
    }

    @Test
    void theOptimizerAndScheduleLandInTheNetworksUpdaterConfiguration() {
        Recipe recipe = Recipe.builtIn("resnet18-fmnist");
        ComputationGraph graph = new ComputationGraph(RunSpec.of(recipe).withLimit(1000).architecture()
                .configuration());
        graph.init();
        // read back from the configuration's JSON, as a checkpoint stores it
        ComputationGraph reloaded = new ComputationGraph(org.deeplearning4j.nn.conf.ComputationGraphConfiguration
                .fromJson(graph.getConfiguration().toJson()));
        reloaded.init();
        BaseLayer conv = (BaseLayer) reloaded.getLayer("conv1").conf().getLayer();
        assertThat(conv.getIUpdater()).isInstanceOf(Nesterovs.class);
        Nesterovs nesterovs = (Nesterovs) conv.getIUpdater();
        assertThat(nesterovs.getMomentum()).isEqualTo(0.9);
        // 1,000 images / 128 = 8 minibatches per epoch
        assertThat(nesterovs.getLearningRateSchedule()).isEqualTo(new LearningRates(Schedule.Shape.ONE_CYCLE, 0.1,
                8 * recipe.epochs(), 0));
        assertThat(conv.getRegularization()).singleElement().hasToString("L2Regularization(l2=FixedSchedule(value=5.0E-4))");
        assertThat(((org.deeplearning4j.nn.conf.layers.ConvolutionLayer) conv).getKernelSize()).containsExactly(7, 7);

        Recipe momentum = Recipe.notebook(NotebookModel.LENET_BN).withOptimizer(
                new Optimizer(Optimizer.Kind.MOMENTUM, 0.1, 0.8, 0)).withSchedule(new Schedule(Schedule.Shape.STEP, 1));
        ComputationGraph lenet = new ComputationGraph(org.deeplearning4j.nn.conf.ComputationGraphConfiguration
                .fromJson(RunSpec.of(momentum).architecture().configuration().toJson()));
        lenet.init();
        BaseLayer first = (BaseLayer) lenet.getLayers()[0].conf().getLayer();
        assertThat(first.getIUpdater()).isEqualTo(new HeavyBallMomentum(new LearningRates(Schedule.Shape.STEP, 0.1,
                196 * 10, 196), 0.8)); // 50,000 / 256 = 196 minibatches per epoch
        // the notebook's: DL4J's plain Sgd(1.0) as before recipes, whatever the run's length, so that checkpoints of
        // earlier versions and extended runs still match the configuration
        for (int limit : new int[] {-1, 1000}) {
            assertThat(RunSpec.notebook(NotebookModel.LENET_BN).withLimit(limit).architecture().configuration()
                    .toJson()).isEqualTo(io.github.moderncnns.architectures.BatchNormLeNet.builder().build()
                    .configuration().toJson());
        }
        assertThat(((BaseLayer) RunSpec.notebook(NotebookModel.LENET_BN).architecture().init().getLayers()[0].conf()
                .getLayer()).getIUpdater()).isEqualTo(new Sgd(1.0));
    }

    @Test
    void recipeFilesRoundTripAndHandWrittenOnesTakeTheNotebooksValuesForWhatTheyLeaveOut() throws Exception {
        Recipe recipe = Recipe.builtIn("resnet18-fmnist").withEarlyStopping(3)
                .withAugmentation(Augmentation.parse("crop:4,flip,erase:0.25"));
        Path file = dir.resolve("mine.json");
        recipe.write(file);
        assertThat(Files.readString(file)).contains("\"augmentation\" : \"crop:4,flip,erase:0.25\"");
        assertThat(Recipe.read(file)).isEqualTo(recipe);

        Path hand = dir.resolve("short.json");
        Files.writeString(hand, "{\"model\": \"lenet_bn\", \"epochs\": 3, \"schedule\": {\"shape\": \"cosine\"},"
                + " \"augmentation\": \"flip\"}", StandardCharsets.UTF_8);
        assertThat(Recipe.read(hand)).isEqualTo(Recipe.notebook(NotebookModel.LENET_BN).withEpochs(3)
                .withSchedule(new Schedule(Schedule.Shape.COSINE, 0)).withAugmentation(new Augmentation(0, true, 0))
                .withName("short"));

        Files.writeString(hand, "{\"model\": \"lenet_bn\", \"augmentation\": \"rotate\"}", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Recipe.read(hand)).hasMessageStartingWith(hand + " is not a valid recipe: ")
                .hasMessageContaining("unknown augmentation 'rotate'");
        Files.writeString(hand, "[1, 2]", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Recipe.read(hand)).hasMessageStartingWith(hand + " is not a recipe: expected a JSON "
                + "object with at least \"model\"");
        Files.writeString(hand, "{\"model\": ", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Recipe.read(hand)).hasMessageStartingWith(hand + " is not a JSON recipe: ");
    }

    @Test
    void runJsonFilesWrittenBeforeRecipesStillLoad() throws Exception {
        // run.json as versions before recipes wrote it (this one from the lab's AlexNet run)
        Files.writeString(dir.resolve(RunSpec.FILE), """
                {
                  "model" : "LENET_BN",
                  "preset" : {
                    "model" : "LENET_BN",
                    "batchSize" : 128,
                    "learningRate" : 0.5,
                    "epochs" : 3,
                    "resize" : 28
                  },
                  "seed" : 7,
                  "limit" : 500,
                  "dataDirectory" : null,
                  "restoreBest" : false,
                  "keepCheckpoints" : 2,
                  "uiFrequency" : 10
                }""", StandardCharsets.UTF_8);
        RunSpec old = RunSpec.read(dir);
        assertThat(old.recipe()).isEqualTo(Recipe.notebook(NotebookModel.LENET_BN).withBatchSize(128)
                .withLearningRate(0.5).withEpochs(3));
        assertThat(old.splitSeed()).isEqualTo(7L);
        old.write(dir);
        assertThat(Files.readString(dir.resolve(RunSpec.FILE))).contains("\"recipe\"").doesNotContain("\"preset\"");
        assertThat(RunSpec.read(dir)).isEqualTo(old);
    }
}
