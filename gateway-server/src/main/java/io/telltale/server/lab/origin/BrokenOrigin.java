package io.telltale.server.lab.origin;

import java.io.IOException;
import java.net.InetSocketAddress;

/** A loopback origin on 127.0.0.1 (port chosen by the OS) that fails in the one way its {@link OriginFault} says. */
public interface BrokenOrigin extends AutoCloseable {

    /**
     * Binds 127.0.0.1 on a free port and starts failing; for {@link OriginFault#REFUSED} and
     * {@link OriginFault#BLACKHOLE} it first checks that a connect really is refused or times out.
     *
     * @throws IOException when the port cannot be bound or the fault cannot be made real on this system
     */
    static BrokenOrigin start(OriginFault fault) throws IOException {
        return switch (fault) {
            case REFUSED -> RefusedOrigin.start();
            case BLACKHOLE -> BlackholeOrigin.start();
            case WEBSOCKET_ECHO, WEBSOCKET_REFUSED -> WebSocketOrigin.start(fault);
            default -> HttpFaultOrigin.start(fault);
        };
    }

    /**
     * Binds the given loopback address and port with a listener whose accept queue is full, so connects to it
     * time out: one blackholing address among a name's several.
     *
     * @throws IOException when the address cannot be bound or the fault cannot be made real on this system
     */
    static BrokenOrigin blackholeAt(InetSocketAddress address) throws IOException {
        return BlackholeOrigin.start(address);
    }

    /** Returns the fault it shows. */
    OriginFault fault();

    /** Returns the address to connect to: 127.0.0.1 and {@link #port()}. */
    InetSocketAddress address();

    /** Returns the port it holds. */
    default int port() {
        return address().getPort();
    }

    /** Returns how many connections it accepted (always 0 for the refused and blackhole origins). */
    int acceptedConnections();

    /** Returns how many request heads it received. */
    int receivedRequests();

    /** Stops it and frees the port. */
    @Override
    void close();
}
