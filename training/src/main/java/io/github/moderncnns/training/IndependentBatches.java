package io.github.moderncnns.training;

import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Hands out a copy of every batch of another iterator, so that its consumer may keep batches as long as it likes
 * while the source reuses its buffers. ParallelWrapper needs this: it gives each worker a batch without copying and
 * takes the next ones before the workers are done (in gradient-sharing mode without waiting at all), and
 * {@code FashionMnistIterator} refills a small ring of buffers; without copies, workers trained on batches that were
 * being overwritten (measured with 3 and 4 workers: {@code DataParallelBatchesTest}). A copy costs a memory copy per
 * batch, small against a training step.
 */
final class IndependentBatches implements DataSetIterator {
    private static final long serialVersionUID = 1L;
    private final DataSetIterator source;

    /**
     * @param source the iterator to copy from
     */
    IndependentBatches(DataSetIterator source) {
        this.source = source;
    }

    @Override
    public DataSet next() {
        return source.next().copy();
    }

    @Override
    public DataSet next(int num) {
        return source.next(num).copy();
    }

    @Override
    public boolean hasNext() {
        return source.hasNext();
    }

    @Override
    public int inputColumns() {
        return source.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return source.totalOutcomes();
    }

    @Override
    public boolean resetSupported() {
        return source.resetSupported();
    }

    @Override
    public boolean asyncSupported() {
        return source.asyncSupported();
    }

    @Override
    public void reset() {
        source.reset();
    }

    @Override
    public int batch() {
        return source.batch();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        source.setPreProcessor(preProcessor);
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return source.getPreProcessor();
    }

    @Override
    public List<String> getLabels() {
        return source.getLabels();
    }
}
