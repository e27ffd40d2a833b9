package io.github.moderncnns.training;

import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

/**
 * PyTorch's {@code CrossEntropyLoss(label_smoothing=e)} for DL4J: the training labels become
 * {@code (1 - e) one_hot + e / classes}, and DL4J's softmax cross-entropy on those targets is PyTorch's smoothed loss.
 * DL4J's loss has no such option, and changing the targets keeps the network's JSON the notebook's. For training data
 * only (the reported training loss is then the smoothed one, as in PyTorch); the accuracy is unchanged, since the
 * true class keeps the largest target.
 */
public final class LabelSmoothing implements DataSetPreProcessor {
    private static final long serialVersionUID = 1L;
    private final double epsilon;

    /**
     * @param epsilon the share of the target spread over all classes, in [0, 1)
     */
    public LabelSmoothing(double epsilon) {
        if (!(epsilon >= 0 && epsilon < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), found " + epsilon);
        }
        this.epsilon = epsilon;
    }

    @Override
    public void preProcess(DataSet batch) {
        long classes = batch.getLabels().size(1);
        batch.getLabels().muli(1 - epsilon).addi(epsilon / classes);
    }
}
