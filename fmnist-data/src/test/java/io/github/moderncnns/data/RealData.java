package io.github.moderncnns.data;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * The real Fashion-MNIST for tests, found as users find it. Without it, the tests that need it are skipped on a
 * developer's machine but fail when {@code -Dfmnist.requireRealData=true} (CI) asks for them.
 */
public final class RealData {
    public static final boolean REQUIRED = Boolean.getBoolean("fmnist.requireRealData");
    private static FashionMnist dataset;
    private static DatasetException problem;

    private RealData() {
    }

    public static synchronized FashionMnist dataset() {
        if (dataset == null && problem == null) {
            try {
                dataset = FashionMnist.loader().optDownload(false).load();
            } catch (DatasetException e) {
                problem = e;
            }
        }
        if (problem != null) {
            String message = "the real Fashion-MNIST is needed: " + problem.getMessage();
            if (REQUIRED) {
                fail(message + " (required by -Dfmnist.requireRealData=true)", problem);
            }
            Assumptions.abort(message);
        }
        return dataset;
    }
}
