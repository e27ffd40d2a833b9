package io.github.moderncnns.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.moderncnns.architectures.NotebookModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;
import org.nd4j.parameterserver.distributed.v2.transport.PortSupplier;

/** The spark-submit entry point's arguments and the gradient-sharing settings it builds. */
class SparkTrainJobTest {
    @Test
    void positionalArgumentsOnly() {
        SparkTrainJob.Spec spec = SparkTrainJob.parse(List.of("lenet-bn", "10", "64", "runs/x"));

        assertThat(spec).isEqualTo(new SparkTrainJob.Spec(NotebookModel.LENET_BN, 10, 64, -1, null,
                Path.of("runs/x"), null, null));
    }

    @Test
    void optionsBeforeThePositionalArguments() {
        SparkTrainJob.Spec spec = SparkTrainJob.parse(List.of("--train-files", "hdfs://nn/fmnist", "--gradient-sharing",
                "--network-mask", "10.1.0.0/16", "--port", "40123", "resnet18", "5", "32", "out", "1000", "/data"));

        assertThat(spec.trainFiles()).isEqualTo("hdfs://nn/fmnist");
        assertThat(spec.limit()).isEqualTo(1000);
        assertThat(spec.dataDirectory()).isEqualTo(Path.of("/data"));
        assertThat(spec.gradientSharing().networkMask()).isEqualTo("10.1.0.0/16");
        assertThat(spec.gradientSharing().port()).isEqualTo(40123);
        VoidConfiguration configuration = spec.gradientSharing().voidConfiguration("10.1.0.5");
        assertThat(configuration.getControllerAddress()).isEqualTo("10.1.0.5");
        assertThat(configuration.getPortSupplier().getPort()).isEqualTo(40123);
    }

    @Test
    void wrongArgumentsAreNamed() {
        assertThatThrownBy(() -> SparkTrainJob.parse(List.of("--port", "1", "lenet-bn", "1", "1", "o")))
                .hasMessage("unknown option '--port' (--network-mask and --port follow --gradient-sharing)");
        assertThatThrownBy(() -> SparkTrainJob.parse(List.of("lenet-bn", "ten", "64", "out")))
                .hasMessage("EPOCHS must be a whole number, found 'ten'");
        assertThatThrownBy(() -> SparkTrainJob.parse(List.of("lenet-bn", "1")))
                .hasMessage("expected 4 to 6 arguments after the options, found 2");
        assertThatThrownBy(() -> SparkTrainJob.parse(List.of("--gradient-sharing", "--network-mask", "ten/8",
                "lenet-bn", "1", "1", "o")))
                .hasMessage("expected a network mask in CIDR notation such as 10.1.0.0/16, found 'ten/8'");
        assertThatThrownBy(() -> SparkTrainJob.parse(List.of("--train-files")))
                .hasMessage("--train-files needs a value");
    }

    /** The driver picks its port first; the executors must not inherit it with the configuration. */
    @Test
    void everyJvmChoosesItsOwnFreePort() throws Exception {
        PortSupplier driver = GradientSharing.onThisMachine().voidConfiguration("127.0.0.1").getPortSupplier();
        int driverPort = driver.getPort();
        assertThat(driverPort).isPositive().isEqualTo(driver.getPort()); // stable within a JVM

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(driver);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            PortSupplier shipped = (PortSupplier) in.readObject();
            java.lang.reflect.Field port = shipped.getClass().getDeclaredField("chosenPort");
            port.setAccessible(true);
            assertThat(port.getInt(shipped)).isZero(); // not chosen yet: the executor picks its own
            assertThat(shipped.getPort()).isPositive();
        }
    }

    /** Executors on a cluster run in JVMs of their own: the job switches the layer helpers on there too. */
    @Test
    void executorsGetTheLayerHelpersUnlessTheUserSaidOtherwise() {
        SparkTrainJob.Spec averaging = SparkTrainJob.parse(List.of("lenet-bn", "1", "64", "out"));
        SparkTrainJob.Spec sharing = SparkTrainJob.parse(List.of("--gradient-sharing", "lenet-bn", "1", "64", "out"));
        String helpers = "-Dorg.eclipse.deeplearning4j.helpers.disable="
                + System.getProperty("org.eclipse.deeplearning4j.helpers.disable", "false");

        assertThat(SparkTrainJob.executorJavaOptions("", averaging)).isEqualTo(helpers);
        assertThat(SparkTrainJob.executorJavaOptions("-Xss4m", averaging)).isEqualTo("-Xss4m " + helpers);
        assertThat(SparkTrainJob.executorJavaOptions("-Dorg.eclipse.deeplearning4j.helpers.disable=true",
                averaging)).isEqualTo("-Dorg.eclipse.deeplearning4j.helpers.disable=true");
        assertThat(SparkTrainJob.executorJavaOptions("", sharing)).startsWith(helpers + " ")
                .contains("-Daeron.dir.delete.on.shutdown=true");
    }
}
