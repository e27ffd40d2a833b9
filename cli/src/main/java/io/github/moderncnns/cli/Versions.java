package io.github.moderncnns.cli;

import io.github.moderncnns.training.BuildInfo;
import java.util.Properties;
import picocli.CommandLine;

/** {@code --version}: this build's version and the DL4J version and backend it carries. */
final class Versions implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        Properties build = BuildInfo.properties();
        return new String[] {"moderncnns " + build.getProperty("project.version"),
            "Deeplearning4j " + build.getProperty("dl4j.version") + ", backend " + build.getProperty("nd4j.backend")
                    + " (" + build.getProperty("nd4j.backend.classifier") + ")",
            "Java " + System.getProperty("java.version")};
    }
}
