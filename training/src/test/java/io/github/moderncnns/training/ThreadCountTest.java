package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.architectures.ModelSummary;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The thread count of a run: the user's, else one for small networks on one device, else all cores. */
class ThreadCountTest {
    private static final ModelSummary LENET = NotebookModel.LENET_BN.builder().build().summary();
    private static final ModelSummary RESNET_AT_28 = NotebookModel.RESNET18.builder().optInputSize(28).build()
            .summary();
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @Test
    void aSmallNetworkTrainsOnOneThreadAndSaysWhy() {
        assertThat(ThreadCount.forTraining(null, LENET, false)).isEqualTo(new ThreadCount(1,
                "automatic: 0.28 million multiply-adds per image, fewer than 10 million"));
        assertThat(ThreadCount.forTraining(null, LENET, false).describe())
                .isEqualTo("1 (automatic: 0.28 million multiply-adds per image, fewer than 10 million)");
    }

    @Test
    void largerNetworksDataParallelRunsAndTheUsersCountKeepTheirThreads() {
        assertThat(RESNET_AT_28.multiplyAdds()).isGreaterThan(ThreadCount.SMALL_NETWORK);
        assertThat(ThreadCount.forTraining(null, RESNET_AT_28, false)).isEqualTo(new ThreadCount(CORES,
                "all cores"));
        assertThat(ThreadCount.forTraining(null, LENET, true).threads()).isEqualTo(CORES);
        assertThat(ThreadCount.forTraining(3, LENET, false).describe()).isEqualTo("3 (--threads)");
        assertThatThrownBy(() -> new ThreadCount(0, "none")).hasMessage("threads must be at least 1, found 0");
    }

    @Test
    void applyingACountSetsNd4jsMasterThreadsAndBlas() {
        int before = Nd4j.getEnvironment().maxMasterThreads();
        try {
            new ThreadCount(1, "test").apply();
            assertThat(Nd4j.getEnvironment().maxMasterThreads()).isEqualTo(1);
            assertThat(Nd4j.factory().blas().getMaxThreads()).isEqualTo(1);
        } finally {
            new ThreadCount(before, "restore").apply();
        }
    }
}
