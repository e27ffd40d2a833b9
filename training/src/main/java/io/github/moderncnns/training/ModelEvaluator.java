package io.github.moderncnns.training;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The notebook's {@code evaluate_accuracy(net, data_iter, loss)}: one pass over the data in inference mode,
 * computing the loss and the accuracy from the same outputs (the notebook runs the network twice per batch; the
 * result is the same).
 */
public final class ModelEvaluator {
    /** DL4J's MCXENT clips probabilities at this value before the log, so do we. */
    private static final double CLIP = 1e-10;

    private ModelEvaluator() {
    }

    /** The model computes NaN or infinity: evaluating it would give a meaningless accuracy. */
    public static final class NonFiniteOutputException extends ArithmeticException {
        private static final long serialVersionUID = 1L;

        NonFiniteOutputException(String message) {
            super(message);
        }
    }

    /**
     * @param model a single-output classifier with softmax output
     * @param data the data; reset before and after
     * @return loss, accuracy and the full evaluation
     * @throws NonFiniteOutputException if the model's outputs are not finite numbers
     */
    public static EvaluationResult evaluate(ComputationGraph model, DataSetIterator data) {
        data.reset();
        Evaluation evaluation = new Evaluation(data.getLabels(), 1);
        double lossSum = 0;
        int batches = 0;
        while (data.hasNext()) {
            DataSet batch = data.next();
            INDArray probabilities = model.output(false, batch.getFeatures())[0];
            if (!Double.isFinite(probabilities.sumNumber().doubleValue())) {
                data.reset();
                throw new NonFiniteOutputException("the model's outputs are NaN or infinite on the evaluation data "
                        + "(batch " + (batches + 1) + "): its weights or batch-norm statistics diverged");
            }
            INDArray labels = batch.getLabels();
            INDArray logs = Transforms.log(Transforms.max(probabilities, CLIP, true), false);
            lossSum += -logs.muli(labels).sumNumber().doubleValue() / labels.size(0);
            batches++;
            evaluation.eval(labels, probabilities);
        }
        data.reset();
        double accuracy = evaluation.getNumRowCounter() == 0 ? 0 : 100.0 * evaluation.accuracy();
        return new EvaluationResult(batches == 0 ? Double.NaN : lossSum / batches, accuracy, evaluation);
    }
}
