package io.telltale.server.lab.origin;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener with backlog 1 that never accepts, its accept queue filled by its own connections, so that
 * the kernel drops every further SYN (Linux counts it as a listen overflow) and a connect times out.
 *
 * <p>Linux queues backlog + 1 connections; rather than rely on that number, start-up keeps connecting
 * with a short timeout until a connect really times out, which is the proof that the fault is real here.
 */
final class BlackholeOrigin implements BrokenOrigin {
    private static final int FILL_TIMEOUT_MILLIS = 250;
    private static final int MAX_FILLERS = 16;

    private final ServerSocket listener;
    private final List<Socket> fillers;
    private final InetSocketAddress address;

    private BlackholeOrigin(ServerSocket listener, List<Socket> fillers) {
        this.listener = listener;
        this.fillers = fillers;
        this.address = new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    static BlackholeOrigin start() throws IOException {
        return start(new InetSocketAddress(NetUtil.LOCALHOST4, 0));
    }

    static BlackholeOrigin start(InetSocketAddress bind) throws IOException {
        ServerSocket listener = new ServerSocket(bind.getPort(), 1, bind.getAddress());
        List<Socket> fillers = new ArrayList<>();
        try {
            fill(listener, fillers);
            return new BlackholeOrigin(listener, fillers);
        } catch (IOException | RuntimeException e) {
            fillers.forEach(Sockets::closeQuietly);
            listener.close();
            throw e;
        }
    }

    private static void fill(ServerSocket listener, List<Socket> fillers) throws IOException {
        while (fillers.size() < MAX_FILLERS) {
            Socket filler = new Socket();
            try {
                filler.connect(listener.getLocalSocketAddress(), FILL_TIMEOUT_MILLIS);
            } catch (SocketTimeoutException full) {
                filler.close();
                return;
            } catch (IOException | RuntimeException e) {
                filler.close();
                throw e;
            }
            fillers.add(filler);
        }
        throw new IOException("blackhole origin: " + MAX_FILLERS + " connects to a listener with backlog 1 completed"
                + " (expected: the accept queue to fill and a connect to time out)");
    }

    @Override
    public OriginFault fault() {
        return OriginFault.BLACKHOLE;
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
        fillers.forEach(Sockets::closeQuietly);
        Sockets.closeQuietly(listener);
    }
}
