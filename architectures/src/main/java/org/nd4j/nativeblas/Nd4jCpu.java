package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * A stand-in, at the class name DL4J 1.0.0-M2.1 looks for, that lets its oneDNN layer helpers switch on.
 *
 * <p>DL4J's {@code BaseMKLDNNHelper.mklDnnEnabled()} asks {@code org.nd4j.nativeblas.Nd4jCpu$Environment
 * #getInstance().isUseMKLDNN()}, the name the ND4J CPU bindings had before they moved to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} (where the method is now
 * {@code isUseONEDNN}). M2.1 ships only the new name, so the check fails with "Cannot find class" and every
 * convolution, pooling and batch-norm layer silently takes the slow Java path, even on a oneDNN build. This class
 * restores the old name and answers with the new method; nothing else in DL4J or ND4J uses it. Remove it when DL4J's
 * check and ND4J's bindings agree again. Why a stand-in and not another route: {@code docs/performance.md}.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The old name of ND4J's native environment; only the one method DL4J's helper check calls. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();
        private static final String BINDINGS = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

        private Environment() {
        }

        /** The one instance, as the native class has. */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /**
         * Whether ND4J's CPU backend uses oneDNN: the native library was built with it ({@code HAVE_ONEDNN} in its
         * build info; the plain builds are not, yet their {@code isUseONEDNN()} flag still says true) and the
         * bindings' {@code isUseONEDNN()} flag is on. False when the CPU backend is not on the class path.
         *
         * @return true if oneDNN is in use
         */
        public boolean isUseMKLDNN() {
            if (!NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN")) {
                return false;
            }
            try {
                Class<?> bindings = Class.forName(BINDINGS, true, Nd4jCpu.class.getClassLoader());
                Object environment = bindings.getMethod("getInstance").invoke(null);
                Method isUseOneDnn = bindings.getMethod("isUseONEDNN");
                return (boolean) isUseOneDnn.invoke(environment);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
