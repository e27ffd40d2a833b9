package io.github.moderncnns.spark;

import io.github.moderncnns.training.EpochMetrics;
import io.github.moderncnns.training.EvaluationResult;
import io.github.moderncnns.training.ModelEvaluator;
import io.github.moderncnns.training.TrainingHistory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Trains one of our graphs on a Spark cluster with DL4J's {@link SparkComputationGraph} and its
 * {@code ParameterAveragingTrainingMaster}, epoch by epoch, with the notebook's per-epoch metrics: each executor
 * core trains a replica on one minibatch per round and the parameters and updater states are averaged after every
 * round, so k cores at batch size B/k train like one device at batch size B.
 *
 * <p>Gradient sharing ({@code SharedTrainingMaster}) is not offered: with DL4J's M2 Spark modules on the M2.1 core
 * it left the driver's model untrained in local mode and hung after the last task (docs/scale-out.md).
 *
 * <p>Spark has no per-minibatch listener hook on the driver, so an epoch's training loss and accuracy are measured
 * after the epoch, in inference mode, over the training data (one distributed pass); the notebook measures them
 * during the epoch. Validation runs on the driver as for one device.
 */
public final class SparkTraining {
    private final JavaSparkContext context;
    private final ComputationGraph model;
    private final JavaRDD<DataSet> train;
    private final DataSetIterator validation;
    private final int epochs;
    private final int batchSizePerWorker;
    private final Path workDirectory;
    private final PrintStream out;

    private SparkTraining(Builder builder) {
        this.context = builder.context;
        this.model = builder.model;
        this.train = builder.train;
        this.validation = builder.validation;
        this.epochs = builder.epochs;
        this.batchSizePerWorker = builder.batchSizePerWorker;
        this.workDirectory = builder.workDirectory;
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
        private DataSetIterator validation;
        private int epochs;
        private int batchSizePerWorker = 256;
        private Path workDirectory;
        private PrintStream out = System.out;

        private Builder() {
        }

        /** @param context the Spark context @return this builder */
        public Builder setContext(JavaSparkContext context) {
            this.context = Objects.requireNonNull(context, "context");
            return this;
        }

        /** @param model an initialised graph; it ends up holding the trained parameters @return this builder */
        public Builder setModel(ComputationGraph model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** @param train minibatches, one {@code DataSet} each ({@link FashionMnistRdd}) @return this builder */
        public Builder setTrainData(JavaRDD<DataSet> train) {
            this.train = Objects.requireNonNull(train, "train");
            return this;
        }

        /** @param validation evaluated on the driver after every epoch @return this builder */
        public Builder setValidationData(DataSetIterator validation) {
            this.validation = Objects.requireNonNull(validation, "validation");
            return this;
        }

        /** @param epochs at least 1 @return this builder */
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

        /** @param out where the notebook's epoch lines go (default: standard output) @return this builder */
        public Builder optOut(PrintStream out) {
            this.out = Objects.requireNonNull(out, "out");
            return this;
        }

        /** @return the training @throws IllegalStateException if a required setting is missing */
        public SparkTraining build() {
            if (context == null || model == null || train == null || validation == null || epochs == 0
                    || workDirectory == null) {
                throw new IllegalStateException("setContext, setModel, setTrainData, setValidationData, setEpochs "
                        + "and setWorkDirectory are required");
            }
            return new SparkTraining(this);
        }
    }

    /**
     * Trains.
     *
     * @return every epoch's metrics; the model given to the builder holds the trained parameters
     */
    public TrainingHistory train() {
        TrainingMaster<?, ?> trainingMaster = trainingMaster();
        SparkComputationGraph spark = new SparkComputationGraph(context, model, trainingMaster);
        train.cache(); // every epoch reads it three times: training and the two measuring passes
        TrainingHistory history = TrainingHistory.empty();
        try {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long start = System.nanoTime();
                spark.fit(train);
                double trainSeconds = (System.nanoTime() - start) / 1e9;
                ComputationGraph trained = spark.getNetwork();
                double trainLoss = spark.calculateScore(train, true);
                Evaluation trainEvaluation = spark.evaluate(train);
                EvaluationResult validationResult = ModelEvaluator.evaluate(trained, validation);
                EpochMetrics metrics = new EpochMetrics(epoch, trainLoss, 100 * trainEvaluation.accuracy(),
                        validationResult.loss(), validationResult.accuracy(), (System.nanoTime() - start) / 1e9,
                        trainEvaluation.getNumRowCounter() / trainSeconds);
                history = history.plus(metrics);
                out.println(metrics.notebookLine());
            }
        } finally {
            trainingMaster.deleteTempFiles(context);
            train.unpersist();
        }
        model.setParams(spark.getNetwork().params());
        return history;
    }

    private TrainingMaster<?, ?> trainingMaster() {
        return new ParameterAveragingTrainingMaster.Builder(1).batchSizePerWorker(batchSizePerWorker)
                .averagingFrequency(1).workerPrefetchNumBatches(0).saveUpdater(true)
                .rddTrainingApproach(RDDTrainingApproach.Export)
                .exportDirectory(workDirectory.resolve("export").toUri().toString()).rngSeed(42).build();
    }
}
