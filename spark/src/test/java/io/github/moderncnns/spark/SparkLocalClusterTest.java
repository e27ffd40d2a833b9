package io.github.moderncnns.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.moderncnns.architectures.BatchNormLeNet;
import io.github.moderncnns.data.FashionMnist;
import io.github.moderncnns.data.FashionMnistIterators;
import io.github.moderncnns.data.RealData;
import io.github.moderncnns.training.EpochMetrics;
import io.github.moderncnns.training.ModelEvaluator;
import io.github.moderncnns.training.TrainingHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's local-cluster: a standalone master and two workers in this JVM, each worker starting an executor JVM of
 * its own (one core, 1.5 GiB), everything on 127.0.0.1 (surefire sets SPARK_LOCAL_IP). The minibatches travel
 * inside the tasks here (DL4J's direct approach: the local file system is not shared storage for DL4J).
 */
class SparkLocalClusterTest {
    @TempDir
    static Path work;

    private static JavaSparkContext context;
    private static List<String> aeronBefore;

    @BeforeAll
    static void startCluster() throws IOException {
        aeronBefore = sharedMemoryAeronDirectories();
        context = SparkSettings.local("local-cluster[2,1,1536]", work);
    }

    @AfterAll
    static void stopCluster() {
        if (context != null) {
            context.stop();
        }
        // SparkSettings switched Spark's test mode on for local-cluster; other test classes share this JVM
        System.clearProperty("spark.testing");
        System.clearProperty("spark.test.home");
    }

    /**
     * The same comparison as in local mode, across JVMs. Measured: 73.80 % (local[2]: 73.82 %; one device at batch
     * 256: 72.90 %). With DL4J told one example per RDD element (its builder's argument), this mode trained one
     * minibatch per executor per epoch and stayed at 9.85 %: the test would catch that again.
     */
    @Test
    void parameterAveragingAcrossExecutorJvmsLearnsAsOneDeviceDoes() throws Exception {
        FashionMnist data = RealData.dataset();
        assertThat(context.defaultParallelism()).isEqualTo(2);
        TrainingHistory history = SparkRuns.onSpark(context, data, BatchNormLeNet.builder().build().init(),
                work.resolve("averaging"), null);

        assertThat(history.epochs().get(1).trainLoss()).isLessThan(history.epochs().get(0).trainLoss());
        assertThat(history.last().orElseThrow().validationAccuracy())
                .isCloseTo(SparkRuns.oneDeviceAccuracy(data), within(5.0));
    }

    /**
     * Measured in three runs (2 epochs, 2 executor JVMs at batch 128): the untrained model's validation loss is 2.3;
     * training loss after each epoch 0.64 to 1.00, validation accuracy 64.4 % to 76.5 % (the executors do not wait
     * for each other, so update order and results vary from run to run; one device: 72.90 %). Epoch 2 does not
     * reliably improve on epoch 1 at lr 1.0. Without re-estimating the batch-norm statistics on the driver: 16 %,
     * then 50 %. A fourth run (2026-12-02, inside the full build) had a training loss of 1.216 in one epoch, just
     * above half the untrained loss (1.212); a fifth (2026-12-02 again) 1.596 in one epoch, 66 % of the untrained
     * loss, and passed the next run. So: the loss falls below 75 % of the untrained model's in every epoch (a model
     * that does not learn stays at 100 %), the accuracy lands far above chance (10 %), and Aeron's files stayed in
     * our directory.
     */
    @Test
    void gradientSharingTrainsWithAFallingLoss() throws Exception {
        FashionMnist data = RealData.dataset();
        ComputationGraph model = BatchNormLeNet.builder().build().init();
        double untrainedLoss;
        try (FashionMnistIterators iterators = FashionMnistIterators.create(data, 128, 0, 42, SparkRuns.SUBSET)) {
            untrainedLoss = ModelEvaluator.evaluate(model, iterators.validation()).loss();
        }
        TrainingHistory history = SparkRuns.onSpark(context, data, model, work.resolve("sharing"),
                GradientSharing.onThisMachine());

        assertThat(untrainedLoss).isGreaterThan(2.0);
        for (EpochMetrics epoch : history.epochs()) {
            assertThat(epoch.trainLoss()).isLessThan(untrainedLoss * 0.75);
        }
        assertThat(history.last().orElseThrow().validationAccuracy()).isGreaterThan(50.0);
        // one Aeron directory per executor JVM under ours ({{EXECUTOR_ID}}; deleted as the executors exit), none
        // under Aeron's default /dev/shm
        assertThat(work.resolve("aeron")).isDirectory();
        assertThat(sharedMemoryAeronDirectories()).isEqualTo(aeronBefore);
    }

    private static List<String> sharedMemoryAeronDirectories() throws IOException {
        Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(shm)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("aeron")).sorted().toList();
        }
    }

    @Test
    void localClusterMastersAreValidated() {
        assertThatThrownBy(() -> SparkSettings.local("local-cluster[2,1,512]", work))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1024 MiB, found 512");
        assertThatThrownBy(() -> SparkSettings.local("yarn", work)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected local[N] or local-cluster[WORKERS,CORES,MIB]")
                .hasMessageContaining("found 'yarn'");
    }
}
