package io.github.moderncnns.spark;

import java.net.DatagramSocket;
import java.net.SocketException;
import org.nd4j.parameterserver.distributed.v2.transport.PortSupplier;

/**
 * Gives each JVM of a gradient-sharing run (the driver and every executor) its own free UDP port, so that several
 * executors can share a machine. DL4J's default supplies one fixed port to every JVM, which only works with one
 * executor per machine. The port is chosen at the first call in each JVM; the field is transient, so the driver's
 * choice is not shipped to the executors.
 */
final class FreeUdpPortSupplier implements PortSupplier {
    private static final long serialVersionUID = 1L;

    private transient int port;

    @Override
    public synchronized int getPort() {
        if (port == 0) {
            try (DatagramSocket probe = new DatagramSocket(0)) {
                port = probe.getLocalPort();
            } catch (SocketException e) {
                throw new IllegalStateException("no free UDP port for gradient sharing on this machine", e);
            }
        }
        return port;
    }
}
