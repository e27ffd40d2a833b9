package io.github.moderncnns.training;

import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * What a finished run hands back: the model (the last epoch's, or the best-validation one if restoring was asked
 * for), the history, and the test results of the last epoch (the notebook's number) and of the best-validation
 * epoch.
 *
 * @param model the final model
 * @param history every epoch's metrics
 * @param lastEpochTest the last epoch's model on the test data, if test data was given
 * @param bestEpochTest the best-validation epoch's model on the test data, if test data and checkpoints exist
 * @param bestEpoch the epoch with the best validation accuracy
 * @param earlyStop why training stopped before its last epoch ({@link EarlyStopping}), or empty
 */
public record TrainingResult(ComputationGraph model, TrainingHistory history, Optional<EvaluationResult> lastEpochTest,
        Optional<EvaluationResult> bestEpochTest, int bestEpoch, Optional<String> earlyStop) {
}
