package io.github.moderncnns.spark;

import java.net.DatagramSocket;
import java.net.SocketException;
import org.nd4j.parameterserver.distributed.v2.transport.PortSupplier;

/**
 * The UDP port each JVM of a gradient-sharing run (the driver and every executor) listens on for Aeron.
 * <ul>
 * <li>{@link #anyFree()}: each JVM chooses its own free port at its first call, so several executors can share a
 * machine (the field is transient: the driver's choice is not shipped to the executors);</li>
 * <li>{@link #fixed(int)}: the same port everywhere, for firewalls that must name it; one executor per machine.</li>
 * </ul>
 * DL4J's own {@code StaticPortSupplier(int)} ignores its argument in 1.0.0-M2 (it always answers 49876).
 */
final class UdpPortSupplier implements PortSupplier {
    private static final long serialVersionUID = 1L;

    private final int fixedPort;
    private transient int chosenPort;

    private UdpPortSupplier(int fixedPort) {
        this.fixedPort = fixedPort;
    }

    /** @return a supplier that lets every JVM choose a free port */
    static UdpPortSupplier anyFree() {
        return new UdpPortSupplier(0);
    }

    /**
     * @param port from 1 to 65535
     * @return a supplier that answers this port in every JVM
     */
    static UdpPortSupplier fixed(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("expected a UDP port from 1 to 65535, found " + port);
        }
        return new UdpPortSupplier(port);
    }

    @Override
    public synchronized int getPort() {
        if (fixedPort > 0) {
            return fixedPort;
        }
        if (chosenPort == 0) {
            try (DatagramSocket probe = new DatagramSocket(0)) {
                chosenPort = probe.getLocalPort();
            } catch (SocketException e) {
                throw new IllegalStateException("no free UDP port for gradient sharing on this machine", e);
            }
        }
        return chosenPort;
    }
}
