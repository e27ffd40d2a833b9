package io.github.moderncnns.cli;

import io.github.moderncnns.training.NotebookTraining;
import io.github.moderncnns.training.TrainingUi;
import io.github.moderncnns.training.TrainingUiServer;
import picocli.CommandLine.Option;

/** The live training UI options of {@code train} and {@code lab}. */
final class UiOptions {
    @Option(names = "--ui", description = "Show the training live in the DL4J training UI (lab: every network).")
    boolean enabled;

    @Option(names = "--ui-port", defaultValue = "9000", converter = PortNumber.class, description = "Port of the "
            + "training UI, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--ui-host", defaultValue = TrainingUiServer.LOOPBACK, description = "Address the training UI "
            + "listens on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface, with no "
            + "authentication).")
    String host;

    @Option(names = "--ui-histograms", description = "Also record histograms of every layer's parameters, gradients "
            + "and updates for the UI's model tab (off by default: they slow training, see docs/performance.md).")
    boolean histograms;

    /**
     * @param options a run's output options
     * @return them with this histogram choice
     */
    NotebookTraining.Options apply(NotebookTraining.Options options) {
        return options.withUiHistograms(histograms);
    }

    /**
     * @return where the UI listens, or {@code null} without {@code --ui}
     */
    TrainingUi.Address address() {
        return enabled ? new TrainingUi.Address(host, port) : null;
    }
}
