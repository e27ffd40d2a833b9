package example;

import io.github.moderncnns.architectures.Architecture;
import io.github.moderncnns.architectures.BatchNormLeNet;
import io.github.moderncnns.data.FashionMnist;
import io.github.moderncnns.data.FashionMnistIterators;
import io.github.moderncnns.training.BuildInfo;
import io.github.moderncnns.training.EpochMetrics;
import io.github.moderncnns.training.EpochMetricsListener;
import io.github.moderncnns.training.ModelEvaluator;
import io.github.moderncnns.training.ProgressListener;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Fashion-MNIST, BN-LeNet and the notebook's metrics in a plain DL4J fit loop. */
public final class TrainLeNet {
    public static void main(String[] args) throws Exception {
        // The backend this application chose in its build file (pom.xml or build.gradle)
        System.out.println("Backend: " + BuildInfo.backend());
        // Finds the dataset (FMNIST_HOME, ~/.deeplearning4j/data/fashion-mnist, the Debian package) or downloads it
        FashionMnist data = FashionMnist.loader().load();
        // The notebook's loaders: batch 256, no resize, split seed 42; the first 2,560 images of each subset
        try (FashionMnistIterators it = FashionMnistIterators.create(data, 256, 0, 42, 2_560)) {
            Architecture lenet = BatchNormLeNet.builder().build();
            System.out.print(lenet.summary());
            ComputationGraph net = lenet.init();

            EpochMetricsListener metrics = new EpochMetricsListener(it.validation());
            metrics.subscribe(epoch -> System.out.println(epoch.notebookLine()));
            net.setListeners(metrics, ProgressListener.forConsole(it.train().batchesPerEpoch(), 256));
            net.fit(it.train(), 2);

            for (EpochMetrics epoch : metrics.history().epochs()) {
                System.out.printf("epoch %d: validation accuracy %.2f %%%n", epoch.epoch(), epoch.validationAccuracy());
            }
            System.out.printf("Test accuracy %.2f %%%n", ModelEvaluator.evaluate(net, it.test()).accuracy());
        }
    }
}
