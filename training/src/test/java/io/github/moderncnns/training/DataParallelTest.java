package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.moderncnns.architectures.BatchNormLeNet;
import io.github.moderncnns.architectures.Vgg;
import io.github.moderncnns.data.FashionMnist;
import io.github.moderncnns.data.FashionMnistIterators;
import io.github.moderncnns.data.ImageSet;
import io.github.moderncnns.data.RealData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Sgd;

/** Training on several ParallelWrapper workers behind the same Trainer: metrics, checkpoints and accuracy. */
class DataParallelTest {
    private static final int SUBSET = 10_240;

    @TempDir
    Path dir;

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void theWorkersTrainingMetricsCoverEveryMinibatchExactlyOnce() throws Exception {
        // learning rate 0, no dropout, no batch norm: the training forward passes compute what inference computes,
        // so the listener's accuracy over both workers' minibatches must equal an evaluation of the whole data
        ImageSet images = SyntheticData.images(320, 1);
        ComputationGraph model = Vgg.builder().setConvArch(Vgg.VGG_11_SMALL).optInputSize(32).optDropout(0)
                .optUpdater(new Sgd(0)).build().init();

        TrainingResult result = Trainer.builder().setModel(model).setTrainData(SyntheticData.iterator(images, 32, 32))
                .setValidationData(SyntheticData.iterator(SyntheticData.images(64, 2), 32, 32)).setEpochs(1)
                .optDataParallel(new DataParallel(2)).optOut(quiet()).build().train();

        EvaluationResult same = ModelEvaluator.evaluate(model, SyntheticData.iterator(images, 32, 32));
        EpochMetrics epoch = result.history().epochs().get(0);
        assertThat(epoch.trainAccuracy()).isCloseTo(same.accuracy(), within(1e-9));
        assertThat(epoch.trainLoss()).isCloseTo(same.loss(), within(1e-5));
        assertThat(model.getListeners()).isEmpty(); // the wrapper took the listeners; the trainer gave them back
    }

    /**
     * Two averaging workers at batch 128 take one minibatch each per round and average after it: for plain SGD one
     * step on 256 images, as one device at batch 256 takes. Measured on this subset (10,240 images, 2 epochs, seed
     * 42, BN-LeNet at lr 1.0): one device 72.90 % validation accuracy; two workers 73.56 % here, and 69.54 % through
     * {@code train --workers 2 --batch-size 128} (repeatable in each setting; with the same listeners in this JVM it
     * stays 73.56 %, so the difference is float-level ordering across JVMs, which lr 1.0 amplifies: this network's
     * validation accuracy swings by 6 points between epochs). What legitimately differs is batch norm, which
     * normalises over 128 images per worker. The band of 5 points holds both and still fails a broken average (chance is 10 %) or
     * workers that take half the steps (62 % measured).
     */
    @Test
    void twoAveragingWorkersLearnAsOneDeviceDoesOnARealSubset() throws Exception {
        FashionMnist data = RealData.dataset();
        TrainingResult single = train(data, DataParallel.single(), 256);
        TrainingResult parallel = train(data, new DataParallel(2), 128);

        double singleAccuracy = single.history().last().orElseThrow().validationAccuracy();
        double parallelAccuracy = parallel.history().last().orElseThrow().validationAccuracy();
        assertThat(singleAccuracy).isGreaterThan(70);
        assertThat(parallelAccuracy).isCloseTo(singleAccuracy, within(5.0));
        assertThat(parallel.history().epochs().get(1).trainLoss())
                .isLessThan(parallel.history().epochs().get(0).trainLoss());
        // checkpoints and metrics files as for one device
        Path run = dir.resolve("2-workers");
        assertThat(run.resolve("metrics.csv")).isRegularFile();
        assertThat(Files.list(run.resolve("checkpoints")).count()).isEqualTo(3); // 2 epochs + best
    }

    private TrainingResult train(FashionMnist data, DataParallel dataParallel, int batchSize) throws Exception {
        try (FashionMnistIterators iterators = FashionMnistIterators.create(data, batchSize, 0, 42, SUBSET)) {
            ComputationGraph model = BatchNormLeNet.builder().build().init();
            return Trainer.builder().setModel(model).setTrainData(iterators.train())
                    .setValidationData(iterators.validation()).setEpochs(2).optDataParallel(dataParallel)
                    .optRunDirectory(dir.resolve(dataParallel.workers() + "-workers")).optOut(quiet()).build()
                    .train();
        }
    }
}
