package io.github.moderncnns.training;

import io.github.moderncnns.architectures.LayerHelpers;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The versions this build was made with ({@code build.properties}, filled in by Maven) and the ND4J backend found at
 * run time (the application chooses it, so the build cannot know it): what run reports name.
 */
public final class BuildInfo {
    private BuildInfo() {
    }

    /**
     * @return {@code project.version} and {@code dl4j.version}; empty if the resource is missing
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

    /**
     * The backend this JVM runs on, for example {@code CpuBackend with oneDNN, OPENBLAS BLAS}: the class ND4J loaded,
     * whether its native build has oneDNN (the fast path, docs/library.md) and its BLAS. Loads the backend.
     *
     * @return one line
     */
    public static String backend() {
        Properties environment = Nd4j.getExecutioner().getEnvironmentInformation();
        return Nd4j.getBackend().getClass().getSimpleName() + (LayerHelpers.oneDnnAvailable() ? " with oneDNN" : "")
                + ", " + environment.getOrDefault("blas.vendor", "unknown") + " BLAS";
    }
}
