package io.telltale.server;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback "origin" that reads the first TLS ClientHello sent to it, parses what it offers (versions, cipher
 * suites, SNI) and closes the connection, so a test sees exactly what the gateway offered.
 */
final class ClientHelloOrigin implements AutoCloseable {
    private static final int SERVER_NAME = 0;
    private static final int SUPPORTED_VERSIONS = 43;

    /** What one ClientHello offered: protocol versions (as 0x0303-style numbers), suite codes and the SNI name. */
    record Offer(List<Integer> versions, List<Integer> suites, String sni) {
    }

    private final ServerSocket server;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final CompletableFuture<Offer> offer = new CompletableFuture<>();

    ClientHelloOrigin() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        thread.execute(this::readOne);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Returns the offer of the first ClientHello, once it arrived. */
    CompletableFuture<Offer> offer() {
        return offer;
    }

    private void readOne() {
        try (Socket socket = server.accept()) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[5];
            in.readFully(header);
            int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
            byte[] record = new byte[length];
            in.readFully(record);
            offer.complete(parse(ByteBuffer.wrap(record)));
        } catch (IOException | RuntimeException e) {
            offer.completeExceptionally(e);
        }
    }

    private static Offer parse(ByteBuffer b) {
        b.get();
        b.position(b.position() + 3);
        int legacyVersion = b.getShort() & 0xffff;
        b.position(b.position() + 32);
        skipShortVector(b);
        int suitesLength = b.getShort() & 0xffff;
        List<Integer> suites = new ArrayList<>();
        for (int i = 0; i < suitesLength / 2; i++) {
            suites.add(b.getShort() & 0xffff);
        }
        skipShortVector(b);
        List<Integer> versions = new ArrayList<>();
        String sni = null;
        int extensionsLength = b.getShort() & 0xffff;
        int end = b.position() + extensionsLength;
        while (b.position() < end) {
            int type = b.getShort() & 0xffff;
            int length = b.getShort() & 0xffff;
            ByteBuffer ext = b.slice().limit(length);
            b.position(b.position() + length);
            if (type == SERVER_NAME) {
                ext.position(3);
                byte[] name = new byte[ext.getShort() & 0xffff];
                ext.get(name);
                sni = new String(name, StandardCharsets.US_ASCII);
            } else if (type == SUPPORTED_VERSIONS) {
                int n = ext.get() & 0xff;
                for (int i = 0; i < n / 2; i++) {
                    versions.add(ext.getShort() & 0xffff);
                }
            }
        }
        if (versions.isEmpty()) {
            versions.add(legacyVersion);
        }
        return new Offer(versions, suites, sni);
    }

    private static void skipShortVector(ByteBuffer b) {
        int length = b.get() & 0xff;
        b.position(b.position() + length);
    }

    @Override
    public void close() throws IOException {
        server.close();
        thread.shutdownNow();
    }
}
