package io.github.moderncnns.cli;

import io.github.moderncnns.training.BuildInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * {@code --version}: this build's version and the DL4J version and backend it carries ({@code backend.properties},
 * filled in by Maven: the CLI is the application that chooses the backend; reading it does not load ND4J).
 */
final class Versions implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties build = BuildInfo.properties();
        try (InputStream in = Versions.class.getResourceAsStream("backend.properties")) {
            if (in == null) {
                throw new IOException("backend.properties is missing from the CLI's jar; rebuild it with mvn package");
            }
            build.load(in);
        }
        return new String[] {"moderncnns " + build.getProperty("project.version"),
            "Deeplearning4j " + build.getProperty("dl4j.version") + ", backend " + build.getProperty("nd4j.backend")
                    + " (" + build.getProperty("nd4j.backend.classifier") + ")",
            "Java " + System.getProperty("java.version")};
    }
}
