package io.github.moderncnns.training;

import io.github.moderncnns.architectures.NotebookModel;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the notebook's own PyTorch code lands with a network's preset: the range its runs with three seeds spanned,
 * widened by one point on each side. The notebook records no training outputs, so these runs are the reference: a
 * run here inside the band reproduces the notebook, one outside it is a fidelity bug until shown otherwise.
 *
 * @param metric which number the band is about
 * @param low the lowest accepted value, percent
 * @param high the highest accepted value, percent (100 where the band has no upper end)
 */
public record ReferenceBand(Metric metric, double low, double high) {
    /** The number a band judges. */
    public enum Metric {
        /** The last epoch's test accuracy: the number the notebook prints. */
        TEST_ACCURACY("test accuracy"),
        /** The best epoch's validation accuracy: for BN-LeNet, whose lr 1.0 makes the last epoch's test erratic. */
        BEST_VALIDATION_ACCURACY("best validation accuracy");

        private final String label;

        Metric(String label) {
            this.label = label;
        }

        /** @return the metric's name in reports */
        public String label() {
            return label;
        }
    }

    /** A run's standing against its band. */
    public enum Verdict {
        /** Inside the band. */
        INSIDE,
        /** Outside the band. */
        OUTSIDE,
        /** No band for this network, or the run did not follow the notebook's schedule on all the data. */
        NOT_APPLICABLE;

        /** @return the word in reports and CSV files: inside, outside or n/a */
        public String word() {
            return this == NOT_APPLICABLE ? "n/a" : name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The bands, from the notebook's cells run in PyTorch 1.13 with three seeds: ResNet-18 test 86.4-89.1 %, AlexNet
     * 82.6-84.3 %, VGG-11 small 89.3-89.8 %, BN-LeNet best validation 86.2-87.7 % (its test accuracy, 46.3-87.5 %,
     * swings with the last lr-1.0 step); each widened by one point, BN-LeNet's to a floor of 85 %.
     *
     * @param model the network
     * @return its band; none for the full VGG-11, which the notebook does not train
     */
    public static Optional<ReferenceBand> of(NotebookModel model) {
        return switch (model) {
            case ALEXNET -> Optional.of(new ReferenceBand(Metric.TEST_ACCURACY, 81.6, 85.3));
            case VGG11_SMALL -> Optional.of(new ReferenceBand(Metric.TEST_ACCURACY, 88.3, 90.8));
            case LENET_BN -> Optional.of(new ReferenceBand(Metric.BEST_VALIDATION_ACCURACY, 85.0, 100.0));
            case RESNET18 -> Optional.of(new ReferenceBand(Metric.TEST_ACCURACY, 85.4, 90.1));
            case VGG11 -> Optional.empty();
        };
    }

    /**
     * @param lastTestAccuracy the last epoch's test accuracy, percent
     * @param bestValidationAccuracy the best validation accuracy, percent
     * @return whether the band's number lies inside it
     */
    public Verdict judge(double lastTestAccuracy, double bestValidationAccuracy) {
        double value = metric == Metric.TEST_ACCURACY ? lastTestAccuracy : bestValidationAccuracy;
        return value >= low && value <= high ? Verdict.INSIDE : Verdict.OUTSIDE;
    }

    /** @return e.g. {@code test accuracy 85.4-90.1 %} or {@code best validation accuracy >= 85.0 %} */
    public String describe() {
        return high >= 100 ? String.format(Locale.ROOT, "%s >= %.1f %%", metric.label(), low)
                : String.format(Locale.ROOT, "%s %.1f-%.1f %%", metric.label(), low, high);
    }
}
