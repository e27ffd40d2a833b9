/**
 * The networks on Apache Spark: {@link io.github.moderncnns.spark.SparkTraining} trains any of our graphs with
 * DL4J's {@code SparkComputationGraph}, averaging parameters or, with {@link io.github.moderncnns.spark.GradientSharing},
 * sharing threshold-encoded gradients; the minibatches come from the driver
 * ({@link io.github.moderncnns.spark.FashionMnistRdd}) or from files in shared storage
 * ({@link io.github.moderncnns.spark.DataSetFiles}). {@link io.github.moderncnns.spark.SparkTrainJob} is the notebook
 * cell as a Spark job, for {@code spark-submit} and for the CLI's one-machine modes
 * ({@link io.github.moderncnns.spark.SparkSettings}: {@code local[N]} and {@code local-cluster[...]}, bound to
 * 127.0.0.1).
 */
package io.github.moderncnns.spark;
