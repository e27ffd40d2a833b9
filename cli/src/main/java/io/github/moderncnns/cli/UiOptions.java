package io.github.moderncnns.cli;

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

    /**
     * @return where the UI listens, or {@code null} without {@code --ui}
     */
    TrainingUi.Address address() {
        return enabled ? new TrainingUi.Address(host, port) : null;
    }
}
