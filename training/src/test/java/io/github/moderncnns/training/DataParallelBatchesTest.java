package io.github.moderncnns.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.moderncnns.architectures.BatchNormLeNet;
import io.github.moderncnns.data.FashionMnistIterator;
import io.github.moderncnns.data.ImageSet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every worker trains on the batch it was given, whatever the number of workers: our iterator reuses a small ring of
 * buffers, and ParallelWrapper keeps batches without copying them, so the trainer must hand the workers batches of
 * their own. A listener records a checksum of every input each worker's forward pass saw; together they must be
 * exactly the iterator's sequence for that epoch (none duplicated, none lost).
 */
class DataParallelBatchesTest {
    private static final int BATCH = 32;
    private static final int BATCHES = 24; // divisible by 3 and 4: whole rounds

    /** Records what the replicas' forward passes saw (ParallelWrapper hands the model's listeners to them). */
    static final class BatchRecorder extends BaseTrainingListener {
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onForwardPass(Model model, Map<String, INDArray> activations) {
            String input = ((ComputationGraph) model).getConfiguration().getNetworkInputs().get(0);
            seen.add(checksum(activations.get(input)));
        }
    }

    @ParameterizedTest(name = "{0} workers, {1}")
    @CsvSource({"1, AVERAGING", "3, AVERAGING", "4, AVERAGING", "3, GRADIENT_SHARING", "4, GRADIENT_SHARING"})
    void everyWorkerTrainsOnItsOwnIntactBatch(int workers, DataParallel.Mode mode) throws Exception {
        ImageSet images = SyntheticData.images(BATCH * BATCHES, 3);
        List<String> intended = new ArrayList<>();
        try (FashionMnistIterator order = FashionMnistIterator.builder().setImages(images).setBatchSize(BATCH)
                .optReuseBuffers(false).build()) {
            order.setEpoch(0);
            while (order.hasNext()) {
                intended.add(checksum(order.next().getFeatures()));
            }
        }
        assertThat(intended).hasSize(BATCHES).doesNotHaveDuplicates();

        BatchRecorder recorder = new BatchRecorder();
        ComputationGraph model = BatchNormLeNet.builder().build().init();
        model.setListeners(recorder);
        Trainer.builder().setModel(model).setTrainData(SyntheticData.iterator(images, BATCH, 0))
                .setValidationData(SyntheticData.iterator(SyntheticData.images(64, 4), BATCH, 0)).setEpochs(1)
                .optDataParallel(new DataParallel(workers, mode))
                .optOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).build().train();

        assertThat(recorder.seen).containsExactlyInAnyOrderElementsOf(intended);
    }

    private static String checksum(INDArray features) {
        return Integer.toHexString(Arrays.hashCode(features.dup().data().asFloat()));
    }

}
