/**
 * The notebook's {@code train()}, {@code evaluate_accuracy()}, {@code plot_loss()} and {@code plot_accuracy()} for
 * any DL4J {@code ComputationGraph}, and more.
 *
 * <ul>
 *   <li>{@link io.github.moderncnns.training.Trainer}: the epoch loop with checkpoints and best-epoch tracking;
 *       {@link io.github.moderncnns.training.NotebookTraining}: a whole notebook cell in a run directory, with
 *       {@code resume}; {@link io.github.moderncnns.training.RunSpec} and
 *       {@link io.github.moderncnns.training.Recipe} say what to train.</li>
 *   <li>Recipes beyond the notebook: {@link io.github.moderncnns.training.Optimizer} (with
 *       {@link io.github.moderncnns.training.HeavyBallMomentum}), {@link io.github.moderncnns.training.Schedule}
 *       ({@link io.github.moderncnns.training.LearningRates}), {@link io.github.moderncnns.training.LabelSmoothing},
 *       {@link io.github.moderncnns.training.EarlyStopping}; augmentation lives in the data module.</li>
 *   <li>Listeners: {@link io.github.moderncnns.training.EpochMetricsListener} (the notebook's per-epoch metrics),
 *       {@link io.github.moderncnns.training.DivergenceCheck}, {@link io.github.moderncnns.training.ProgressListener}, and DL4J's {@code StatsListener}
 *       through {@link io.github.moderncnns.training.TrainingUi}.</li>
 *   <li>Results: {@link io.github.moderncnns.training.TrainingHistory} ({@code metrics.csv/json}),
 *       {@link io.github.moderncnns.training.TrainingPlots}, {@link io.github.moderncnns.training.RunReport},
 *       {@link io.github.moderncnns.training.Checkpoints}, {@link io.github.moderncnns.training.ModelFiles}.</li>
 *   <li>Using a model: {@link io.github.moderncnns.training.ModelEvaluator},
 *       {@link io.github.moderncnns.training.Predictor},
 *       {@link io.github.moderncnns.training.BatchNormInspector}.</li>
 *   <li>Going faster: {@link io.github.moderncnns.training.DataParallel} (several workers with DL4J's
 *       {@code ParallelWrapper}), {@link io.github.moderncnns.training.ThreadCount} (one thread for small
 *       networks), {@link io.github.moderncnns.training.ModelBenchmark} (images/s and memory on
 *       random data, the DL4J half of the comparison with PyTorch).</li>
 * </ul>
 */
package io.github.moderncnns.training;
