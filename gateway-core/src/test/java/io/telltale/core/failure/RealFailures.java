package io.telltale.core.failure;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Failures made to happen for real on loopback and classified as the gateway classifies them. */
final class RealFailures {
    static final InetAddress LOOPBACK = NetUtil.createInetAddressFromIpAddressString("127.0.0.1");

    private RealFailures() {
    }

    /** Returns the classification of a real refused connection to a closed loopback port of {@code host}. */
    static Failure refusal(String host) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            port = s.getLocalPort();
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 2000);
            throw new AssertionError("connected to a closed port");
        } catch (ConnectException e) {
            return FailureClassifier.classify(Phase.CONNECT, e, false, new OriginHop(host, port, LOOPBACK));
        }
    }
}
