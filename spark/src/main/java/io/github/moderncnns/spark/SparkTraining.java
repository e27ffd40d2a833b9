package io.github.moderncnns.spark;

import io.github.moderncnns.architectures.LayerHelpers;
import io.github.moderncnns.training.BatchNormStatistics;
import io.github.moderncnns.training.EpochMetrics;
import io.github.moderncnns.training.EvaluationResult;
import io.github.moderncnns.training.ModelEvaluator;
import io.github.moderncnns.training.TrainingHistory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.util.ExportSupport;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Trains one of our graphs on a Spark cluster with DL4J's {@link SparkComputationGraph}, epoch by epoch, with the
 * notebook's per-epoch metrics. By default with DL4J's {@code ParameterAveragingTrainingMaster}: each executor core
 * trains a replica on one minibatch per round and the parameters and updater states are averaged after every round,
 * so k cores at batch size B/k train like one device at batch size B. With {@link GradientSharing}, DL4J's
 * {@code SharedTrainingMaster} instead (executors in their own JVMs only), and the driver's batch-norm statistics
 * re-estimated after every epoch.
 *
 * <p>Minibatches given as an RDD reach the executors as files DL4J exports under the work directory when the
 * default file system is one every executor can read (local mode, HDFS, S3), and otherwise inside the tasks (DL4J's
 * "direct" approach: on one machine with {@code local-cluster}, or a cluster without shared storage). Minibatch
 * files ({@link DataSetFiles}) are read by the executors themselves.
 *
 * <p>Spark has no per-minibatch listener hook on the driver, so an epoch's training loss and accuracy are measured
 * after the epoch, in inference mode, over the training data (two distributed passes); the notebook measures them
 * during the epoch. Validation runs on the driver as for one device.
 */
public final class SparkTraining {
    private final JavaSparkContext context;
    private final ComputationGraph model;
    private final JavaRDD<DataSet> train;
    private final String trainFiles;
    private final DataSetIterator validation;
    private final int epochs;
    private final int batchSizePerWorker;
    private final Path workDirectory;
    private final GradientSharing gradientSharing;
    private final PrintStream out;

    private SparkTraining(Builder builder) {
        this.context = builder.context;
        this.model = builder.model;
        this.train = builder.train;
        this.trainFiles = builder.trainFiles;
        this.validation = builder.validation;
        this.epochs = builder.epochs;
        this.batchSizePerWorker = builder.batchSizePerWorker;
        this.workDirectory = builder.workDirectory;
        this.gradientSharing = builder.gradientSharing;
        this.out = builder.out;
    }

    /** A builder: {@code setX} for what is required, {@code optX} for the rest. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link SparkTraining}. */
    public static final class Builder {
        private JavaSparkContext context;
        private ComputationGraph model;
        private JavaRDD<DataSet> train;
        private String trainFiles;
        private DataSetIterator validation;
        private int epochs;
        private int batchSizePerWorker = 256;
        private Path workDirectory;
        private GradientSharing gradientSharing;
        private PrintStream out = System.out;

        private Builder() {
        }

        /**
         * @param context the Spark context
         * @return this builder
         */
        public Builder setContext(JavaSparkContext context) {
            this.context = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * @param model an initialised graph; it ends up holding the trained parameters
         * @return this builder
         */
        public Builder setModel(ComputationGraph model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * @param train minibatches, one {@code DataSet} each ({@link FashionMnistRdd}); or {@link #setTrainFiles}
         * @return this builder
         */
        public Builder setTrainData(JavaRDD<DataSet> train) {
            this.train = Objects.requireNonNull(train, "train");
            return this;
        }

        /**
         * @param directoryUri minibatch files ({@link DataSetFiles}) in storage every executor reads, such as
         *                     {@code hdfs://namenode/fmnist/train}: each executor loads its own files, the driver
         *                     holds no training data; or {@link #setTrainData}
         * @return this builder
         */
        public Builder setTrainFiles(String directoryUri) {
            this.trainFiles = Objects.requireNonNull(directoryUri, "directoryUri");
            return this;
        }

        /**
         * @param validation evaluated on the driver after every epoch
         * @return this builder
         */
        public Builder setValidationData(DataSetIterator validation) {
            this.validation = Objects.requireNonNull(validation, "validation");
            return this;
        }

        /**
         * @param epochs at least 1
         * @return this builder
         */
        public Builder setEpochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, found " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /**
         * @param workDirectory where DL4J exports the RDD's minibatches before training (its default,
         *                      /tmp/hadoop-USER/dl4j, is not cleaned up); on a cluster, a directory every executor
         *                      can read (a shared file system)
         * @return this builder
         */
        public Builder setWorkDirectory(Path workDirectory) {
            this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory");
            return this;
        }

        /**
         * @param batchSizePerWorker the minibatch size of the RDD's DataSets (DL4J splits or merges them to it;
         *                           default 256)
         * @return this builder
         */
        public Builder optBatchSizePerWorker(int batchSizePerWorker) {
            if (batchSizePerWorker < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, found " + batchSizePerWorker);
            }
            this.batchSizePerWorker = batchSizePerWorker;
            return this;
        }

        /**
         * @param gradientSharing share threshold-encoded gradients instead of averaging parameters (needs executors
         *                        in their own JVMs: {@code local-cluster[...]} or a cluster)
         * @return this builder
         */
        public Builder optGradientSharing(GradientSharing gradientSharing) {
            this.gradientSharing = Objects.requireNonNull(gradientSharing, "gradientSharing");
            return this;
        }

        /**
         * @param out where the notebook's epoch lines go (default: standard output)
         * @return this builder
         */
        public Builder optOut(PrintStream out) {
            this.out = Objects.requireNonNull(out, "out");
            return this;
        }

        /**
         * @return the training
         * @throws IllegalStateException if a required setting is missing
         */
        public SparkTraining build() {
            if (context == null || model == null || (train == null) == (trainFiles == null) || validation == null
                    || epochs == 0 || workDirectory == null) {
                throw new IllegalStateException("setContext, setModel, setTrainData or setTrainFiles (one of them), "
                        + "setValidationData, setEpochs and setWorkDirectory are required");
            }
            return new SparkTraining(this);
        }
    }

    /**
     * Trains.
     *
     * @return every epoch's metrics; the model given to the builder holds the trained parameters
     * @throws IOException if the training files cannot be listed
     * @throws IllegalStateException for gradient sharing in local mode (executors must have JVMs of their own)
     */
    public TrainingHistory train() throws IOException {
        // in local mode the workers' copies of the network are created in this JVM, during training
        try (LayerHelpers.Scope helpers = LayerHelpers.on()) {
            return trainWithHelpers();
        }
    }

    private TrainingHistory trainWithHelpers() throws IOException {
        String master = context.master();
        if (gradientSharing != null && (master.equals("local") || master.startsWith("local["))) {
            throw new IllegalStateException("gradient sharing needs executors in JVMs of their own, not " + master
                    + ": in one JVM the driver never receives the updates; use local-cluster[2,1,2048] or a cluster");
        }
        JavaRDD<DataSet> measured;
        JavaRDD<String> paths = null;
        if (trainFiles == null) {
            measured = train.cache(); // every epoch reads it three times: training and the two measuring passes
        } else {
            measured = DataSetFiles.read(context, trainFiles); // not cached: data this large stays in storage
            paths = DataSetFiles.paths(context, trainFiles);
        }
        TrainingMaster<?, ?> trainingMaster = trainingMaster(measured.first().numExamples());
        SparkComputationGraph spark = new SparkComputationGraph(context, model, trainingMaster);
        TrainingHistory history = TrainingHistory.empty();
        try {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long start = System.nanoTime();
                if (paths == null) {
                    spark.fit(train);
                } else {
                    spark.fitPaths(paths);
                }
                double trainSeconds = (System.nanoTime() - start) / 1e9;
                ComputationGraph trained = spark.getNetwork();
                if (gradientSharing != null) {
                    // the driver's running statistics arrived threshold-encoded and lag: re-estimate them here
                    BatchNormStatistics.recompute(trained,
                            measured.take(BatchNormStatistics.GRADIENT_SHARING_MINIBATCHES).iterator(),
                            BatchNormStatistics.GRADIENT_SHARING_MINIBATCHES);
                }
                double trainLoss = spark.calculateScore(measured, true);
                Evaluation trainEvaluation = spark.evaluate(measured);
                EvaluationResult validationResult = ModelEvaluator.evaluate(trained, validation);
                EpochMetrics metrics = new EpochMetrics(epoch, trainLoss, 100 * trainEvaluation.accuracy(),
                        validationResult.loss(), validationResult.accuracy(), (System.nanoTime() - start) / 1e9,
                        trainEvaluation.getNumRowCounter() / trainSeconds);
                history = history.plus(metrics);
                out.println(metrics.notebookLine());
            }
        } finally {
            trainingMaster.deleteTempFiles(context);
            if (train != null) {
                train.unpersist();
            }
        }
        model.setParams(spark.getNetwork().params());
        return history;
    }

    /**
     * @param examplesPerDataSet DL4J sizes each round by the examples per RDD element or file; with a wrong count
     *                           the direct approach trains one minibatch per worker per epoch and skips the rest
     *                           (measured when it was 1: 9.85 % after 2 epochs)
     */
    private TrainingMaster<?, ?> trainingMaster(int examplesPerDataSet) {
        RDDTrainingApproach approach = ExportSupport.exportSupported(context) ? RDDTrainingApproach.Export
                : RDDTrainingApproach.Direct;
        String exportDirectory = workDirectory.resolve("export").toUri().toString();
        // the level train() caches the RDD at: DL4J's direct approach persists it again and must not change it
        StorageLevel storageLevel = StorageLevel.MEMORY_ONLY();
        if (gradientSharing == null) {
            // the number of workers given: DL4J M2 looks it up from a MultiLayerNetwork in fitPaths (NPE for graphs)
            return new ParameterAveragingTrainingMaster.Builder(context.defaultParallelism(), examplesPerDataSet)
                    .batchSizePerWorker(batchSizePerWorker).averagingFrequency(1).workerPrefetchNumBatches(0)
                    .saveUpdater(true).rddTrainingApproach(approach).storageLevel(storageLevel).exportDirectory(exportDirectory)
                    .rngSeed(42).build();
        }
        GradientSharing.configureDriver(workDirectory.resolve("aeron").resolve("driver"));
        // one trainer thread per executor core would need a ParallelWrapper inside each executor; one per executor
        // keeps the executors' cores for ND4J's own threads
        return new SharedTrainingMaster.Builder(gradientSharing.voidConfiguration(context.getConf()
                .get("spark.driver.host")), examplesPerDataSet).batchSizePerWorker(batchSizePerWorker)
                .workersPerNode(1).workerPrefetchNumBatches(0).thresholdAlgorithm(gradientSharing.thresholdAlgorithm())
                .rddTrainingApproach(approach).storageLevel(storageLevel).exportDirectory(exportDirectory)
                .rngSeed(42).build();
    }
}
