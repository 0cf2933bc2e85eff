package io.telltale.server.lab;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loop scenario's origin: a TCP relay on 127.0.0.1 that forwards every connection, byte for byte, to
 * the gateway's own HTTP port, as a load balancer whose target is the CDN would. The gateway's port is set
 * once it is bound, which is why the relay exists at all: the site's origin port must be known first.
 */
final class LoopRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile int targetPort;

    private LoopRelay(ServerSocket listener) {
        this.listener = listener;
    }

    /** Binds 127.0.0.1 on a free port; connections are refused until {@link #target(int)} is set. */
    static LoopRelay start() throws IOException {
        LoopRelay relay = new LoopRelay(new ServerSocket(0, 50, NetUtil.LOCALHOST4));
        daemon("lab-loop-relay", relay::acceptLoop);
        return relay;
    }

    /** Sets the loopback port every connection is relayed to. */
    void target(int port) {
        targetPort = port;
    }

    /** Returns the port it listens on. */
    int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() {
        closeQuietly(listener);
        open.forEach(LoopRelay::closeQuietly);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                if (targetPort == 0) {
                    release(client);
                    continue;
                }
                Socket upstream = new Socket();
                open.add(upstream);
                try {
                    upstream.connect(new InetSocketAddress(NetUtil.LOCALHOST4, targetPort), 2000);
                } catch (IOException e) {
                    release(client);
                    release(upstream);
                    continue;
                }
                AtomicInteger finished = new AtomicInteger();
                daemon("lab-loop-relay-up", () -> pump(client, upstream, finished));
                daemon("lab-loop-relay-down", () -> pump(upstream, client, finished));
            } catch (IOException e) {
                // The listener was closed: the lab is stopping.
                return;
            }
        }
    }

    /** Copies one direction to its end and half-closes the other side; the second to finish closes both. */
    private void pump(Socket from, Socket to, AtomicInteger finished) {
        boolean clean = true;
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            clean = false;
        }
        if (!clean || finished.incrementAndGet() == 2) {
            release(from);
            release(to);
        }
    }

    private void release(Socket socket) {
        open.remove(socket);
        closeQuietly(socket);
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Nothing to do: it is closed or was never open.
        }
    }
}
