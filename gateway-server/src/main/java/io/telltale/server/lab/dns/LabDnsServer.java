package io.telltale.server.lab.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.Zone;

/**
 * A small authoritative DNS server for the lab and the tests, on one loopback port over UDP and TCP.
 *
 * <p>It answers from its zones with AA set, NXDOMAIN and NODATA with the SOA, CNAMEs chased inside the
 * zone, referrals with glue and AA unset, REFUSED outside its zones and TC when an answer does not fit
 * the client's UDP size; scripted faults override that per name. With recursion on, it follows its own
 * referrals to other lab servers as a resolver would, so several instances make a real delegation.
 */
public final class LabDnsServer implements AutoCloseable {
    private static final int BIND_TRIES = 20;

    private final InetAddress bindAddress;
    private final LabDnsResponder responder;
    private final ServerSocket tcp;
    private final DatagramSocket udp;
    private final ExecutorService workers;
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong tcpQueries = new AtomicLong();
    private final Map<String, LongAdder> byQuestion = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private LabDnsServer(Builder b) throws IOException {
        this.bindAddress = b.bindAddress;
        this.responder = new LabDnsResponder(b.zones, b.faults, b.recursion, b.upstreamTimeout);
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "lab-dns-" + b.bindAddress.getHostAddress());
            t.setDaemon(true);
            return t;
        });
        ServerSocket tcpSocket = null;
        DatagramSocket udpSocket = null;
        for (int i = 0; i < BIND_TRIES && udpSocket == null; i++) {
            tcpSocket = new ServerSocket(b.port, 50, bindAddress);
            try {
                udpSocket = new DatagramSocket(new InetSocketAddress(bindAddress, tcpSocket.getLocalPort()));
            } catch (BindException e) {
                tcpSocket.close();
                if (b.port != 0 || i == BIND_TRIES - 1) {
                    throw e;
                }
            }
        }
        this.tcp = tcpSocket;
        this.udp = udpSocket;
        workers.execute(this::serveUdp);
        workers.execute(this::serveTcp);
    }

    /** Returns a builder for a server on 127.0.0.1 at a free port. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the address and port the server listens on (the same for UDP and TCP). */
    public InetSocketAddress address() {
        return new InetSocketAddress(bindAddress, tcp.getLocalPort());
    }

    /** Returns the port the server listens on. */
    public int port() {
        return tcp.getLocalPort();
    }

    /** Returns the server as a {@code dns.resolvers} entry, e.g. {@code 127.0.0.1:53531}. */
    public String resolverLiteral() {
        return bindAddress.getHostAddress() + ":" + port();
    }

    /** Returns how many queries arrived, over UDP and TCP, including dropped ones. */
    public long queryCount() {
        return queries.get();
    }

    /** Returns how many queries arrived over TCP. */
    public long tcpQueryCount() {
        return tcpQueries.get();
    }

    /** Returns how many queries for this name and type ({@code A}, {@code SOA}, ...) arrived. */
    public long queryCount(String name, String type) {
        LongAdder n = byQuestion.get(questionKey(name, type));
        return n == null ? 0 : n.sum();
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // Closing a listening socket only fails if it is already closed.
        }
        workers.shutdownNow();
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                return;
            }
            byte[] wire = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
            InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
            workers.execute(() -> {
                byte[] reply = handle(wire, false);
                if (reply != null) {
                    try {
                        udp.send(new DatagramPacket(reply, reply.length, client));
                    } catch (IOException e) {
                        // The client is gone or the server is closing: nothing to tell anyone.
                    }
                }
            });
        }
    }

    private void serveTcp() {
        while (!closed) {
            Socket socket;
            try {
                socket = tcp.accept();
            } catch (IOException e) {
                return;
            }
            workers.execute(() -> serveConnection(socket));
        }
    }

    private void serveConnection(Socket socket) {
        try (socket) {
            socket.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (!closed) {
                byte[] wire = new byte[in.readUnsignedShort()];
                in.readFully(wire);
                byte[] reply = handle(wire, true);
                if (reply != null) {
                    out.writeShort(reply.length);
                    out.write(reply);
                    out.flush();
                }
            }
        } catch (SocketException | java.io.EOFException | java.net.SocketTimeoutException e) {
            // The client closed the connection or went quiet.
        } catch (IOException e) {
            // A broken connection only affects that client.
        }
    }

    private byte[] handle(byte[] wire, boolean overTcp) {
        queries.incrementAndGet();
        if (overTcp) {
            tcpQueries.incrementAndGet();
        }
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            return null;
        }
        Record question = query.getQuestion();
        if (question != null) {
            byQuestion.computeIfAbsent(questionKey(question.getName().toString(), Type.string(question.getType())),
                    k -> new LongAdder()).increment();
        }
        return responder.respond(query, overTcp);
    }

    private static String questionKey(String name, String type) {
        String n = name.endsWith(".") ? name : name + ".";
        return n.toLowerCase(Locale.ROOT) + " " + type.toUpperCase(Locale.ROOT);
    }

    /** Configures a {@link LabDnsServer}. */
    public static final class Builder {
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private final List<Zone> zones = new ArrayList<>();
        private final Map<Name, LabDnsFault> faults = new LinkedHashMap<>();
        private Function<InetAddress, Integer> recursion;
        private Duration upstreamTimeout = Duration.ofMillis(150);

        private Builder() {
        }

        /** Sets the loopback address to listen on, e.g. 127.0.0.2 for a second server of a delegation. */
        public Builder bindAddress(InetAddress address) {
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException("bindAddress: " + address.getHostAddress() + " (expected: a loopback address)");
            }
            this.bindAddress = address;
            return this;
        }

        /** Sets the port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Serves a zone with its scripted faults. */
        public Builder zone(LabZone zone) {
            zones.add(zone.zone());
            faults.putAll(zone.faults());
            return this;
        }

        /** Serves a zone given as master-file text starting with {@code $ORIGIN}. */
        public Builder zone(String zoneText) throws IOException {
            return zone(LabZone.parse(zoneText));
        }

        /** Scripts a fault for a name (absolute, e.g. {@code servfail.lab.test.}) and everything below it. */
        public Builder fault(String name, LabDnsFault fault) throws IOException {
            faults.put(Name.fromString(name.endsWith(".") ? name : name + "."), fault);
            return this;
        }

        /**
         * Turns on recursion: queries with RD=1 that reach a delegation are followed to the delegated
         * servers' glue addresses, at the port this mapping gives for each address.
         */
        public Builder recursion(Function<InetAddress, Integer> ports) {
            this.recursion = ports;
            return this;
        }

        /** Sets how long recursion waits for each delegated server (150 ms by default). */
        public Builder upstreamTimeout(Duration timeout) {
            this.upstreamTimeout = timeout;
            return this;
        }

        /** Binds the sockets and starts serving. */
        public LabDnsServer start() throws IOException {
            return new LabDnsServer(this);
        }
    }
}
