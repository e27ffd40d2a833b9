package io.github.moderncnns.training;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The versions and backend this build was made with ({@code build.properties}, filled in by Maven): what run
 * reports and {@code moderncnns --version} name.
 */
public final class BuildInfo {
    private BuildInfo() {
    }

    /**
     * @return {@code project.version}, {@code dl4j.version}, {@code nd4j.backend} and
     *         {@code nd4j.backend.classifier}; empty if the resource is missing
     */
    public static Properties properties() {
        Properties versions = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                versions.load(in);
            }
        } catch (IOException e) {
            // then the versions read as null; nothing depends on them but what is shown to the user
        }
        return versions;
    }
}
