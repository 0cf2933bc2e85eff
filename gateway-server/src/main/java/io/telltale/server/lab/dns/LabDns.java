package io.telltale.server.lab.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The lab's DNS: the resolver serving {@code config/lab.zone} on 127.0.0.1, with recursion, and the
 * server the zone's lame delegation points at on 127.0.0.2, which serves no zone and refuses everything.
 */
public final class LabDns implements AutoCloseable {
    /** The address the lab zone's {@code ns1.lame.lab.test} glue points at. */
    public static final String LAME_SERVER_ADDRESS = "127.0.0.2";

    private final LabDnsServer resolver;
    private final LabDnsServer lameServer;
    private final Map<InetAddress, Integer> ports;

    private LabDns(LabDnsServer resolver, LabDnsServer lameServer, Map<InetAddress, Integer> ports) {
        this.resolver = resolver;
        this.lameServer = lameServer;
        this.ports = ports;
    }

    /** Starts both servers on free ports, serving the zone file. */
    public static LabDns start(Path zoneFile) throws IOException {
        Map<InetAddress, Integer> ports = new ConcurrentHashMap<>();
        LabDnsServer lame = LabDnsServer.builder().bindAddress(lameAddress()).start();
        LabDnsServer resolver;
        try {
            resolver = LabDnsServer.builder().zone(LabZone.load(zoneFile)).recursion(address -> ports.getOrDefault(address, 53)).start();
        } catch (IOException | RuntimeException e) {
            lame.close();
            throw e;
        }
        ports.put(lame.address().getAddress(), lame.port());
        ports.put(resolver.address().getAddress(), resolver.port());
        return new LabDns(resolver, lame, ports);
    }

    /** Returns the server to put in {@code dns.resolvers}. */
    public LabDnsServer resolver() {
        return resolver;
    }

    /** Returns the port each lab server listens on, by address, for the delegation diagnosis. */
    public Function<InetAddress, Integer> authoritativePorts() {
        return address -> ports.getOrDefault(address, 53);
    }

    @Override
    public void close() {
        resolver.close();
        lameServer.close();
    }

    private static InetAddress lameAddress() throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
    }
}
