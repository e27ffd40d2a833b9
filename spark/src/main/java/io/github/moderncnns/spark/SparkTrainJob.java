package io.github.moderncnns.spark;

import io.github.moderncnns.architectures.LayerHelpers;
import io.github.moderncnns.architectures.NotebookModel;
import io.github.moderncnns.data.DatasetException;
import io.github.moderncnns.data.FashionMnist;
import io.github.moderncnns.data.FashionMnistIterators;
import io.github.moderncnns.training.EvaluationResult;
import io.github.moderncnns.training.ModelEvaluator;
import io.github.moderncnns.training.ModelFiles;
import io.github.moderncnns.training.RunSpec;
import io.github.moderncnns.training.NotebookTraining;
import io.github.moderncnns.training.TemporaryDirectory;
import io.github.moderncnns.training.TrainingHistory;
import io.github.moderncnns.training.TrainingPlots;
import io.github.moderncnns.training.Recipe;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A notebook training cell on Spark: Fashion-MNIST loaded on the driver, its minibatches spread over the executors
 * (or read by them from minibatch files), {@link SparkTraining} for the epochs, the test set evaluated on the driver,
 * then {@code model.zip}, {@code metrics.csv/json} and the loss and accuracy curves in the output directory.
 * The one code path of {@code spark-submit} ({@link #main}) and of the CLI's {@code train --spark local[N]}.
 *
 * <pre>
 * spark-submit --class io.github.moderncnns.spark.SparkTrainJob moderncnns-spark-0.1.0-SNAPSHOT-job.jar \
 *     [--gradient-sharing [--network-mask CIDR] [--port N]] lenet-bn 10 128 runs/spark-lenet
 * </pre>
 */
public final class SparkTrainJob {
    /**
     * What to train.
     *
     * @param model the network, with the notebook's learning rate and input size
     * @param epochs epochs
     * @param batchSizePerWorker minibatch size per executor core (k cores at B/k train like one device at B)
     * @param limit at most this many images per subset, -1 for all
     * @param dataDirectory the Fashion-MNIST directory on the driver, or null to search the usual places
     * @param output the directory for model.zip and the metrics (created; must not exist)
     * @param gradientSharing how to share gradients, or null to average parameters
     * @param trainFiles a directory URI of minibatch files ({@link DataSetFiles}) to train on, or null to train on
     *                   Fashion-MNIST loaded on the driver (validation always is)
     */
    public record Spec(NotebookModel model, int epochs, int batchSizePerWorker, int limit, Path dataDirectory,
            Path output, GradientSharing gradientSharing, String trainFiles) {
        /** Validates the values. */
        public Spec {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(output, "output");
            if (epochs < 1 || batchSizePerWorker < 1) {
                throw new IllegalArgumentException("epochs and batch size must be at least 1, found " + epochs
                        + " and " + batchSizePerWorker);
            }
        }
    }

    private SparkTrainJob() {
    }

    /**
     * The executors' JVM options (they start after the driver, with these): the layer helpers on unless the user's
     * own options set them, and gradient sharing's Aeron settings when it is used.
     *
     * @param given the options spark-submit was given ({@code spark.executor.extraJavaOptions})
     * @param spec the job
     * @return the options to use
     */
    static String executorJavaOptions(String given, Spec spec) {
        String options = given.contains(LayerHelpers.DISABLE_PROPERTY) ? given
                : given + " " + SparkSettings.layerHelpersOption();
        if (spec.gradientSharing() != null) {
            options += " " + GradientSharing.executorJavaOptions(null);
        }
        return options.trim();
    }

    /**
     * Runs the job.
     *
     * @param context the Spark context (local or a cluster's)
     * @param spec what to train
     * @param out where the epoch lines go
     * @return the metrics
     * @throws IOException if the output directory exists or cannot be written
     * @throws DatasetException if the data cannot be loaded
     */
    public static TrainingHistory run(JavaSparkContext context, Spec spec, PrintStream out)
            throws IOException, DatasetException {
        Files.createDirectories(spec.output().toAbsolutePath().getParent());
        Files.createDirectory(spec.output());
        Recipe recipe = Recipe.notebook(spec.model());
        FashionMnist data = FashionMnist.loader().optDirectory(spec.dataDirectory()).load();
        ComputationGraph model = RunSpec.of(recipe).withLimit(spec.limit()).architecture().init();
        try (TemporaryDirectory work = TemporaryDirectory.createIn(spec.output(), ".spark-work");
                FashionMnistIterators iterators = FashionMnistIterators.create(data, spec.batchSizePerWorker(),
                        recipe.resize(), 42, spec.limit())) {
            int partitions = Math.max(context.defaultParallelism(), 1);
            out.println("Training " + spec.model().id() + " on Spark (" + context.master() + ", " + partitions
                    + " partitions), " + (spec.trainFiles() == null ? iterators.train().size() + " images"
                            : "minibatch files in " + spec.trainFiles()) + ", batch " + spec.batchSizePerWorker()
                    + " per worker, lr " + recipe.optimizer().learningRate() + ", " + spec.epochs() + " epochs, input "
                    + recipe.resize() + "x" + recipe.resize() + ", " + (spec.gradientSharing() == null
                            ? "parameter averaging" : spec.gradientSharing()));
            SparkTraining.Builder training = SparkTraining.builder().setContext(context).setModel(model)
                    .setValidationData(iterators.validation()).setEpochs(spec.epochs())
                    .optBatchSizePerWorker(spec.batchSizePerWorker()).setWorkDirectory(work.path()).optOut(out);
            if (spec.trainFiles() == null) {
                training.setTrainData(FashionMnistRdd.of(context, iterators.train(), partitions));
            } else {
                training.setTrainFiles(spec.trainFiles());
            }
            if (spec.gradientSharing() != null) {
                training.optGradientSharing(spec.gradientSharing());
            }
            TrainingHistory history = training.build().train();
            EvaluationResult test = ModelEvaluator.evaluate(model, iterators.test()); // on the driver, as validation
            out.println(test.notebookTestLine());
            history.write(spec.output());
            TrainingPlots.writeCurves(history, spec.output());
            ModelFiles.save(model, recipe.resize(), spec.model(), spec.output().resolve(NotebookTraining.MODEL_FILE));
            return history;
        }
    }

    /**
     * The spark-submit entry point:
     * {@code [--train-files URI] [--gradient-sharing [--network-mask CIDR] [--port N]] MODEL EPOCHS
     * BATCH_PER_WORKER OUTPUT_DIR [LIMIT [DATA_DIR]]}.
     *
     * @param args the arguments
     * @throws Exception if the job fails
     */
    public static void main(String[] args) throws Exception {
        Spec spec;
        try {
            spec = parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        SparkConf conf = new SparkConf().setAppName("modern-cnns");
        conf.set("spark.executor.extraJavaOptions", executorJavaOptions(conf.get("spark.executor.extraJavaOptions",
                ""), spec));
        try (JavaSparkContext context = new JavaSparkContext(conf)) {
            run(context, spec, System.out);
        }
    }

    private static final String USAGE = "usage: SparkTrainJob [--train-files URI] [--gradient-sharing "
            + "[--network-mask CIDR] [--port N]] MODEL EPOCHS BATCH_PER_WORKER OUTPUT_DIR [LIMIT [DATA_DIR]]\n"
            + "  e.g. SparkTrainJob lenet-bn 10 128 runs/spark-lenet";

    /**
     * Reads the job's arguments.
     *
     * @param args as {@link #main} takes them
     * @return the spec
     * @throws IllegalArgumentException naming the argument that is wrong
     */
    static Spec parse(List<String> args) {
        GradientSharing.Builder sharing = null;
        String trainFiles = null;
        int next = 0;
        while (next < args.size() && args.get(next).startsWith("--")) {
            String option = args.get(next++);
            if (option.equals("--gradient-sharing")) {
                sharing = GradientSharing.builder();
                continue;
            }
            if (next == args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args.get(next++);
            if (option.equals("--train-files")) {
                trainFiles = value;
            } else if (sharing != null && option.equals("--network-mask")) {
                sharing.optNetworkMask(value);
            } else if (sharing != null && option.equals("--port")) {
                sharing.optPort(integer("--port", value));
            } else {
                throw new IllegalArgumentException("unknown option '" + option + "' (--network-mask and --port "
                        + "follow --gradient-sharing)");
            }
        }
        List<String> positional = args.subList(next, args.size());
        if (positional.size() < 4 || positional.size() > 6) {
            throw new IllegalArgumentException("expected 4 to 6 arguments after the options, found "
                    + positional.size());
        }
        return new Spec(NotebookModel.byId(positional.get(0)), integer("EPOCHS", positional.get(1)),
                integer("BATCH_PER_WORKER", positional.get(2)),
                positional.size() > 4 ? integer("LIMIT", positional.get(4)) : -1,
                positional.size() > 5 ? Path.of(positional.get(5)) : null, Path.of(positional.get(3)),
                sharing == null ? null : sharing.build(), trainFiles);
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, found '" + value + "'");
        }
    }
}
