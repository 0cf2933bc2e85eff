package io.telltale.server;

import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.telltale.server.edge.Transport;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An origin socket that can only ever connect to loopback: any other destination is recorded and refused before
 * a packet is sent, so a test of the prohibited ranges stays on this machine even if the gateway's check broke.
 */
public final class LoopbackOnlyChannel extends NioSocketChannel {
    /** Every non-loopback destination a gateway tried to connect to, in order. */
    static final Queue<SocketAddress> REFUSED = new ConcurrentLinkedQueue<>();

    /** Returns a transport whose origin connections are of this class. */
    static Transport transport() {
        return new Transport("nio-loopback-only", NioIoHandler.newFactory(), NioServerSocketChannel.class,
                LoopbackOnlyChannel.class);
    }

    @Override
    protected boolean doConnect(SocketAddress remote, SocketAddress local) throws Exception {
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null
                || !inet.getAddress().isLoopbackAddress()) {
            REFUSED.add(remote);
            throw new ConnectException("test transport: refused to leave loopback for " + remote);
        }
        return super.doConnect(remote, local);
    }
}
