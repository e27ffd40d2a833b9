package io.github.moderncnns.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code --version}: this build's version and the DL4J version and backend it carries. */
final class Versions implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties build = new Properties();
        try (InputStream in = io.github.moderncnns.training.RunReport.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                build.load(in);
            }
        }
        return new String[] {"moderncnns " + build.getProperty("project.version"),
            "Deeplearning4j " + build.getProperty("dl4j.version") + ", backend " + build.getProperty("nd4j.backend")
                    + " (" + build.getProperty("nd4j.backend.classifier") + ")",
            "Java " + System.getProperty("java.version")};
    }
}
