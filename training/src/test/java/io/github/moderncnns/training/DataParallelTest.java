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
                .optDataParallel(DataParallel.averaging(2)).optOut(quiet()).build().train();

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
        TrainingResult parallel = train(data, DataParallel.averaging(2), 128);

        double singleAccuracy = single.history().last().orElseThrow().validationAccuracy();
        double parallelAccuracy = parallel.history().last().orElseThrow().validationAccuracy();
        assertThat(singleAccuracy).isGreaterThan(70);
        assertThat(parallelAccuracy).isCloseTo(singleAccuracy, within(5.0));
        assertThat(parallel.history().epochs().get(1).trainLoss())
                .isLessThan(parallel.history().epochs().get(0).trainLoss());
        // checkpoints and metrics files as for one device
        Path run = dir.resolve("2-workers-AVERAGING");
        assertThat(run.resolve("metrics.csv")).isRegularFile();
        assertThat(Files.list(run.resolve("checkpoints")).count()).isEqualTo(3); // 2 epochs + best
    }

    /**
     * Two workers sharing threshold-encoded gradients, on the same subset at batch 128. Measured: validation accuracy
     * 9.85 % after epoch 1 without re-estimating the batch-norm statistics (they move by at most the threshold per
     * step, so inference normalises with nearly the initial mean 0 and variance 1), 74.57 % after re-estimating them
     * from 32 minibatches, and 78.74 % after epoch 2, against 72.90 % for one device. The band of 10 points below
     * one device is wide because the workers do not wait for each other: the order in which updates meet is
     * scheduling-dependent; a model with stale statistics lands at chance.
     */
    @Test
    void gradientSharingWorkersTrainAModelThatPredicts() throws Exception {
        FashionMnist data = RealData.dataset();
        TrainingResult sharing = train(data, DataParallel.gradientSharing(2), 128);

        EpochMetrics first = sharing.history().epochs().get(0);
        EpochMetrics second = sharing.history().epochs().get(1);
        assertThat(second.trainLoss()).isLessThan(first.trainLoss());
        assertThat(second.validationAccuracy()).isGreaterThan(72.90 - 10);
        // the wrapper made the model its worker 0: afterwards it trains alone again, without the shared accumulator
        ComputationGraph model = sharing.model();
        try (FashionMnistIterators iterators = FashionMnistIterators.create(data, 128, 0, 42, 1_280)) {
            model.fit(iterators.train());
        }
        assertThat(model.score()).isFinite();
    }

    private TrainingResult train(FashionMnist data, DataParallel dataParallel, int batchSize) throws Exception {
        try (FashionMnistIterators iterators = FashionMnistIterators.create(data, batchSize, 0, 42, SUBSET)) {
            ComputationGraph model = BatchNormLeNet.builder().build().init();
            return Trainer.builder().setModel(model).setTrainData(iterators.train())
                    .setValidationData(iterators.validation()).setEpochs(2).optDataParallel(dataParallel)
                    .optRunDirectory(dir.resolve(dataParallel.workers() + "-workers-" + dataParallel.mode())).optOut(quiet()).build()
                    .train();
        }
    }
}
