package io.github.moderncnns.training;

import io.github.moderncnns.data.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * The notebook's {@code plot_loss()} and {@code plot_accuracy()} (training as blue dots, validation as a blue line,
 * title, axis labels, legend) and a confusion-matrix heat map, as PNG files written atomically.
 */
public final class TrainingPlots {
    /** The loss plot's file name. */
    public static final String LOSS_FILE = "loss.png";
    /** The accuracy plot's file name. */
    public static final String ACCURACY_FILE = "accuracy.png";
    /** The confusion matrix's file name. */
    public static final String CONFUSION_FILE = "confusion-matrix.png";

    private TrainingPlots() {
    }

    /**
     * Writes {@value #LOSS_FILE} and {@value #ACCURACY_FILE}.
     *
     * @param history the epochs
     * @param directory where to write
     * @throws IOException if writing fails
     */
    public static void writeCurves(TrainingHistory history, Path directory) throws IOException {
        writeCurves(history, directory, Optional.empty());
    }

    /**
     * Writes {@value #LOSS_FILE} and {@value #ACCURACY_FILE}; for a run that stopped early, both mark the
     * best-validation epoch with a vertical line and say where training stopped.
     *
     * @param history the epochs
     * @param directory where to write
     * @param earlyStop why training stopped early ({@link TrainingResult#earlyStop()}), or empty
     * @throws IOException if writing fails
     */
    public static void writeCurves(TrainingHistory history, Path directory, Optional<String> earlyStop)
            throws IOException {
        double[] epochs = history.epochs().stream().mapToDouble(EpochMetrics::epoch).toArray();
        XYChart loss = curve("Training and validation loss", "Loss", epochs, history.trainLoss(), "Training loss",
                history.validationLoss(), "Validation loss");
        XYChart accuracy = curve("Training and validation accuracy", "Accuracy", epochs, history.trainAccuracy(),
                "Training acc", history.validationAccuracy(), "Validation acc");
        if (earlyStop.isPresent() && history.best().isPresent()) {
            int best = history.best().get().epoch();
            for (XYChart chart : List.of(loss, accuracy)) {
                chart.addAnnotation(new AnnotationLine(best, true, false));
                chart.addAnnotation(new AnnotationText("best epoch " + best + ", stopped after epoch "
                        + history.epochs().size(), 320, 60, true));
            }
        }
        write(loss, directory.resolve(LOSS_FILE));
        write(accuracy, directory.resolve(ACCURACY_FILE));
    }

    private static XYChart curve(String title, String yLabel, double[] epochs, double[] train, String trainName,
            double[] validation, String validationName) {
        XYChart chart = new XYChartBuilder().width(640).height(480).title(title).xAxisTitle("Epochs")
                .yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("0");
        XYSeries dots = chart.addSeries(trainName, epochs, train);
        dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        dots.setMarker(SeriesMarkers.CIRCLE);
        dots.setMarkerColor(Color.BLUE);
        XYSeries line = chart.addSeries(validationName, epochs, validation);
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(Color.BLUE);
        return chart;
    }

    /**
     * Writes {@value #CONFUSION_FILE}: actual classes as rows, predicted as columns, counts in the cells.
     *
     * @param evaluation the test evaluation
     * @param classNames the class names
     * @param directory where to write
     * @throws IOException if writing fails
     */
    public static void writeConfusionMatrix(Evaluation evaluation, List<String> classNames, Path directory)
            throws IOException {
        int n = classNames.size();
        // the y axis lists the classes bottom-up, so actual class 0 is drawn at the top as in a printed matrix
        List<String> bottomUp = new ArrayList<>(classNames);
        Collections.reverse(bottomUp);
        List<Number[]> cells = new ArrayList<>();
        for (int actual = 0; actual < n; actual++) {
            for (int predicted = 0; predicted < n; predicted++) {
                cells.add(new Number[] {predicted, n - 1 - actual,
                    evaluation.getConfusionMatrix().getCount(actual, predicted)});
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(820).height(700).title("Confusion matrix (test set)")
                .xAxisTitle("Predicted").yAxisTitle("Actual").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setShowValue(true);
        chart.getStyler().setRangeColors(new Color[] {new Color(247, 251, 255), new Color(8, 48, 107)});
        chart.getStyler().setXAxisLabelRotation(45);
        chart.addSeries("count", classNames, bottomUp, cells);
        write(chart, directory.resolve(CONFUSION_FILE));
    }

    /**
     * One plot of several networks' validation accuracy per epoch (the lab's comparison).
     *
     * @param histories each network's history, by name, in the legend's order
     * @param file the PNG file to write
     * @throws IOException if writing fails
     */
    public static void writeValidationComparison(Map<String, TrainingHistory> histories, Path file)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(640).height(480).title("Validation accuracy")
                .xAxisTitle("Epochs").yAxisTitle("Accuracy").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisDecimalPattern("0");
        histories.forEach((name, history) -> chart.addSeries(name,
                history.epochs().stream().mapToDouble(EpochMetrics::epoch).toArray(), history.validationAccuracy())
                .setMarker(SeriesMarkers.CIRCLE));
        write(chart, file);
    }

    private static void write(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
