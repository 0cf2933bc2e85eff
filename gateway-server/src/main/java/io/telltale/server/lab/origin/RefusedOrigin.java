package io.telltale.server.lab.origin;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Holds a loopback port on which every connect is refused.
 *
 * <p>Binding a listener, reading its port and closing it leaves a window in which anything else may take
 * the port. Instead a plain TCP socket is bound and never listens: the kernel answers a SYN to a port
 * without a listener with RST, and the bound socket keeps the port from every other {@code bind} (it does
 * not set SO_REUSEADDR, which both sockets would need to share a port) and from the ephemeral ports that
 * {@code connect} picks, for as long as this origin is open.
 */
final class RefusedOrigin implements BrokenOrigin {
    private static final int CHECK_TIMEOUT_MILLIS = 1000;

    private final Socket holder;
    private final InetSocketAddress address;

    private RefusedOrigin(Socket holder) {
        this.holder = holder;
        this.address = new InetSocketAddress(NetUtil.LOCALHOST4, holder.getLocalPort());
    }

    static RefusedOrigin start() throws IOException {
        Socket holder = new Socket();
        try {
            holder.setReuseAddress(false);
            holder.bind(new InetSocketAddress(NetUtil.LOCALHOST4, 0));
            RefusedOrigin origin = new RefusedOrigin(holder);
            origin.checkRefuses();
            return origin;
        } catch (IOException | RuntimeException e) {
            holder.close();
            throw e;
        }
    }

    private void checkRefuses() throws IOException {
        try (Socket probe = new Socket()) {
            probe.connect(address, CHECK_TIMEOUT_MILLIS);
        } catch (ConnectException refused) {
            return;
        }
        throw new IOException("refused origin: " + address + " accepted a connection (expected: refused)");
    }

    @Override
    public OriginFault fault() {
        return OriginFault.REFUSED;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public int acceptedConnections() {
        return 0;
    }

    @Override
    public int receivedRequests() {
        return 0;
    }

    @Override
    public void close() {
        Sockets.closeQuietly(holder);
    }
}
