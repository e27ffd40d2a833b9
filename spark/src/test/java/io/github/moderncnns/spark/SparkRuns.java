package io.github.moderncnns.spark;

import io.github.moderncnns.architectures.BatchNormLeNet;
import io.github.moderncnns.data.FashionMnist;
import io.github.moderncnns.data.FashionMnistIterators;
import io.github.moderncnns.training.Trainer;
import io.github.moderncnns.training.TrainingHistory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The comparison every Spark test makes: BN-LeNet on the first 10,240 training images, 2 epochs, seed 42, lr 1.0;
 * one device at batch 256 against 2 executors at batch 128.
 */
final class SparkRuns {
    static final int SUBSET = 10_240;

    private static Double oneDevice;

    private SparkRuns() {
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** @return one device's validation accuracy after 2 epochs (measured: 72.90 %), computed once per JVM */
    static synchronized double oneDeviceAccuracy(FashionMnist data) throws Exception {
        if (oneDevice == null) {
            try (FashionMnistIterators iterators = FashionMnistIterators.create(data, 256, 0, 42, SUBSET)) {
                ComputationGraph model = BatchNormLeNet.builder().build().init();
                oneDevice = Trainer.builder().setModel(model).setTrainData(iterators.train())
                        .setValidationData(iterators.validation()).setEpochs(2).optOut(quiet()).build().train()
                        .history().last().orElseThrow().validationAccuracy();
            }
        }
        return oneDevice;
    }

    /**
     * @param model BN-LeNet, trained in place
     * @param gradientSharing null for parameter averaging
     * @return the 2 epochs' metrics
     */
    static TrainingHistory onSpark(JavaSparkContext context, FashionMnist data, ComputationGraph model,
            Path workDirectory, GradientSharing gradientSharing) throws Exception {
        try (FashionMnistIterators iterators = FashionMnistIterators.create(data, 128, 0, 42, SUBSET)) {
            SparkTraining.Builder training = SparkTraining.builder().setContext(context).setModel(model)
                    .setTrainData(FashionMnistRdd.of(context, iterators.train(), 2))
                    .setValidationData(iterators.validation()).setEpochs(2).optBatchSizePerWorker(128)
                    .setWorkDirectory(workDirectory).optOut(quiet());
            if (gradientSharing != null) {
                training.optGradientSharing(gradientSharing);
            }
            return training.build().train();
        }
    }
}
