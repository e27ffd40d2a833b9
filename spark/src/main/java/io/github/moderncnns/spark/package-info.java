/**
 * The networks on Apache Spark: {@link io.github.moderncnns.spark.SparkTraining} trains any of our graphs with
 * DL4J's {@code SparkComputationGraph} and {@code ParameterAveragingTrainingMaster};
 * {@link io.github.moderncnns.spark.SparkTrainJob} is the notebook cell as a Spark job, for {@code spark-submit}
 * and for the CLI's local mode ({@link io.github.moderncnns.spark.SparkSettings}, bound to 127.0.0.1).
 */
package io.github.moderncnns.spark;
