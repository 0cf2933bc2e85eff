package io.telltale.server.lab;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The connection-limit scenario's other visitor: keeps one slow request in flight through the gateway to a
 * site whose origin allows one connection, so that every visitor's request finds that connection busy.
 * When its request ends (the origin's response timeout), it sends the next one.
 */
final class BusyClient implements AutoCloseable {
    private static final long RETRY_MILLIS = 100;

    private final int gatewayPort;
    private final byte[] request;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Socket current;

    private BusyClient(int gatewayPort, String host) {
        this.gatewayPort = gatewayPort;
        this.request = ("GET /held-by-the-lab HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        this.thread = new Thread(this::run, "lab-busy-client");
        thread.setDaemon(true);
    }

    /** Starts sending to the gateway's HTTP port with this Host. */
    static BusyClient start(int gatewayPort, String host) {
        BusyClient client = new BusyClient(gatewayPort, host);
        client.thread.start();
        return client;
    }

    private void run() {
        while (!closed) {
            try (Socket socket = new Socket(NetUtil.LOCALHOST4, gatewayPort)) {
                current = socket;
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                socket.getInputStream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // The gateway stopped or closed the connection: try again unless the lab is stopping.
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Socket socket = current;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closed already.
            }
        }
        thread.interrupt();
    }
}
