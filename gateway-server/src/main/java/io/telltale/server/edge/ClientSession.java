package io.telltale.server.edge;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/**
 * What every request of one client connection shares: who the client is and what its TLS handshake said.
 *
 * @param clientAddress the client's address, or null when unknown
 * @param tlsProtocol the TLS protocol negotiated, or {@code off}
 * @param sni the server name asked for in the handshake, or {@code off}
 */
record ClientSession(InetAddress clientAddress, String tlsProtocol, String sni) {

    /** Reads the session of a connection whose TLS handshake, if any, is complete. */
    static ClientSession of(Channel channel) {
        InetAddress address = channel.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        SSLSession session = tls == null ? null : tls.engine().getSession();
        return new ClientSession(address, tlsProtocol(session), sni(session));
    }

    /** Returns the TLS protocol of a session, or {@code off} without one. */
    static String tlsProtocol(SSLSession session) {
        return session == null ? "off" : session.getProtocol();
    }

    /** Returns the host name a session's client asked for by SNI, or {@code off}. */
    static String sni(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return "off";
    }
}
