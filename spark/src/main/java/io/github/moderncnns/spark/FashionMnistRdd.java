package io.github.moderncnns.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Minibatches of one of our iterators as a Spark RDD: what the driver hands the executors when the data lives on the
 * driver (Fashion-MNIST does). Data that lives in distributed storage does not need this: export the minibatches once
 * ({@code DataSet.save}) and give DL4J the directory ({@code SparkComputationGraph.fit(path)}).
 */
public final class FashionMnistRdd {
    private FashionMnistRdd() {
    }

    /**
     * @param context the Spark context
     * @param batches one epoch of minibatches, each copied (the iterator may reuse its buffers)
     * @param partitions how many partitions to spread them over (at least the number of executors' cores)
     * @return the RDD, one {@code DataSet} per minibatch
     */
    public static JavaRDD<DataSet> of(JavaSparkContext context, DataSetIterator batches, int partitions) {
        List<DataSet> copies = new ArrayList<>();
        batches.reset();
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            copies.add(new DataSet(batch.getFeatures().dup(), batch.getLabels().dup()));
        }
        return context.parallelize(copies, partitions);
    }
}
