package io.telltale.server.lab;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.telltale.core.config.ConfigException;
import io.telltale.core.config.ConfigLoader;
import io.telltale.core.config.GatewayConfig;
import io.telltale.server.EdgeServer;
import io.telltale.server.admin.AdminResponse;
import io.telltale.server.lab.dns.LabDns;
import io.telltale.server.lab.origin.BrokenOrigin;
import io.telltale.server.lab.origin.OriginFault;
import io.telltale.server.lab.tls.LabPki;
import io.telltale.server.lab.tls.TlsFault;
import io.telltale.server.lab.tls.TlsOrigin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running lab: the lab DNS, a throw-away PKI, one loopback origin per failure, the landing page and the
 * gateway configured by {@code lab.yaml} in front of them. Everything listens on loopback; closing stops it all.
 */
public final class Lab implements AutoCloseable {
    /** The admin path of the scenario list as JSON. */
    public static final String SCENARIOS_PATH = "/lab/scenarios";
    /** The lab CA's file name in the state directory. */
    public static final String CA_FILE = "lab-ca.pem";

    private static final String CONNECTION_LIMIT = "origin-connection-limit";
    private static final long BUSY_WAIT_MILLIS = 5000;
    private static final InetAddress SECOND_LOOPBACK = loopback(2);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(lab\\.[A-Za-z0-9.-]+)}");

    /** The plain-HTTP origins by the name their port has in lab.yaml ({@code ${lab.origin.NAME}}). */
    private static final Map<String, OriginFault> HTTP_ORIGINS = Map.ofEntries(
            Map.entry("healthy", OriginFault.HEALTHY),
            Map.entry("tcp-refused", OriginFault.REFUSED),
            Map.entry("tcp-timeout", OriginFault.BLACKHOLE),
            Map.entry("http-response-timeout", OriginFault.SILENT),
            Map.entry("http-closed-early", OriginFault.CLOSE_BEFORE_RESPONSE),
            Map.entry("http-closed-mid-headers", OriginFault.CLOSE_MID_HEADERS),
            Map.entry("http-invalid-response", OriginFault.GARBAGE_STATUS),
            Map.entry("http-broken-chunking", OriginFault.BROKEN_CHUNKING),
            Map.entry("http-header-too-big", OriginFault.HUGE_HEADERS),
            Map.entry("http-reset-mid-body", OriginFault.RESET_MID_BODY),
            Map.entry("http-origin-500", OriginFault.ORIGIN_500),
            Map.entry("ws-echo", OriginFault.WEBSOCKET_ECHO),
            Map.entry("ws-refused", OriginFault.WEBSOCKET_REFUSED),
            Map.entry(CONNECTION_LIMIT, OriginFault.SILENT));

    /** The TLS origins by the name their port has in lab.yaml, with the fault and the name their certificate is for. */
    private static final Map<String, TlsSpec> TLS_ORIGINS = Map.ofEntries(
            Map.entry("tls-expired", new TlsSpec(TlsFault.EXPIRED, "expired")),
            Map.entry("tls-not-yet-valid", new TlsSpec(TlsFault.NOT_YET_VALID, "not-yet-valid")),
            Map.entry("tls-wrong-host", new TlsSpec(TlsFault.WRONG_HOST, "wrong-host")),
            Map.entry("tls-self-signed", new TlsSpec(TlsFault.SELF_SIGNED, "self-signed")),
            Map.entry("tls-untrusted-root", new TlsSpec(TlsFault.UNTRUSTED_ROOT, "untrusted-root")),
            Map.entry("tls-incomplete-chain", new TlsSpec(TlsFault.INCOMPLETE_CHAIN, "incomplete-chain")),
            Map.entry("tls-chain-out-of-order", new TlsSpec(TlsFault.OUT_OF_ORDER, "out-of-order")),
            Map.entry("tls-expired-intermediate", new TlsSpec(TlsFault.EXPIRED_INTERMEDIATE, "old-intermediate")),
            Map.entry("tls-wrong-purpose", new TlsSpec(TlsFault.CLIENT_AUTH_ONLY, "client-auth-only")),
            Map.entry("tls-weak-key", new TlsSpec(TlsFault.WEAK_KEY, "weak-key")),
            Map.entry("tls-sha1-signature", new TlsSpec(TlsFault.SHA1_SIGNATURE, "sha1")),
            Map.entry("tls-protocol-mismatch", new TlsSpec(TlsFault.TLS12_ONLY, "tls12-only")),
            Map.entry("tls-no-shared-cipher", new TlsSpec(TlsFault.NO_SHARED_CIPHER, "no-shared-cipher")),
            Map.entry("tls-plain-http", new TlsSpec(TlsFault.PLAIN_HTTP, "plain-http")),
            Map.entry("tls-client-cert-required", new TlsSpec(TlsFault.CLIENT_CERT_TLS13, "client-cert")),
            Map.entry("tls-handshake-timeout", new TlsSpec(TlsFault.SILENT, "silent")),
            Map.entry("doctor-certificate-expiring", new TlsSpec(TlsFault.EXPIRES_SOON, "expires-soon")));

    private final Deque<AutoCloseable> resources;
    private final EdgeServer gateway;
    private final LabEndpoints endpoints;

    private Lab(Deque<AutoCloseable> resources, EdgeServer gateway, LabEndpoints endpoints) {
        this.resources = resources;
        this.gateway = gateway;
        this.endpoints = endpoints;
    }

    /**
     * Starts everything; the gateway's listeners are bound when it returns.
     *
     * @throws IOException when a state file cannot be written, a config file read, or an origin started
     * @throws ConfigException when {@code lab.yaml} is invalid or names an unknown placeholder
     */
    public static Lab start(LabOptions options) throws IOException, InterruptedException {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            return start(options, started);
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    private static Lab start(LabOptions options, Deque<AutoCloseable> started) throws IOException, InterruptedException {
        Path state = Files.createDirectories(options.stateDirectory()).toAbsolutePath();
        LabPki pki = LabPki.create(Clock.systemUTC());
        Path caFile = pki.writeRootPem(state.resolve(CA_FILE));
        pki.leaf(LabScenario.DOMAIN, "*." + LabScenario.DOMAIN).writePem(state.resolve("edge.crt"), state.resolve("edge.key"));

        LabDns dns = LabDns.start(options.configDirectory().resolve("lab.zone"));
        started.push(dns);
        Map<String, String> values = new TreeMap<>();
        values.put("lab.port.http", Integer.toString(options.httpPort()));
        values.put("lab.port.https", Integer.toString(options.httpsPort()));
        values.put("lab.port.admin", Integer.toString(options.adminPort()));
        values.put("lab.dns", dns.resolver().resolverLiteral());
        values.put("lab.state", doubleQuotedYaml(state.toString()));
        BrokenOrigin busyOrigin = null;
        for (Map.Entry<String, OriginFault> o : HTTP_ORIGINS.entrySet()) {
            BrokenOrigin origin = BrokenOrigin.start(o.getValue());
            started.push(origin);
            values.put("lab.origin." + o.getKey(), Integer.toString(origin.port()));
            busyOrigin = o.getKey().equals(CONNECTION_LIMIT) ? origin : busyOrigin;
        }
        // One port, two addresses: 127.0.0.1 refuses, 127.0.0.2 drops SYNs (scattered.lab.test resolves to both).
        BrokenOrigin refusing = BrokenOrigin.start(OriginFault.REFUSED);
        started.push(refusing);
        started.push(BrokenOrigin.blackholeAt(new InetSocketAddress(SECOND_LOOPBACK, refusing.port())));
        values.put("lab.origin.tcp-addresses", Integer.toString(refusing.port()));
        for (Map.Entry<String, TlsSpec> o : TLS_ORIGINS.entrySet()) {
            TlsOrigin origin = new TlsOrigin(pki, o.getValue().fault(), o.getValue().host()).start();
            started.push(origin);
            values.put("lab.origin." + o.getKey(), Integer.toString(origin.port()));
        }
        Map<String, Integer> tlsPorts = new TreeMap<>();
        TLS_ORIGINS.keySet().forEach(name -> tlsPorts.put(name, Integer.valueOf(values.get("lab.origin." + name))));
        List<CdnCase> cdnCases = CdnOrigins.start(pki, tlsPorts, started);
        cdnCases.forEach(c -> values.put("lab.origin.cdn-" + c.name(), Integer.toString(URI.create(c.url()).getPort())));
        StaleOrigin stale = StaleOrigin.start();
        started.push(stale);
        values.put("lab.origin.stale", Integer.toString(stale.port()));
        FlappingLabOrigin flapping = FlappingLabOrigin.start();
        started.push(flapping);
        values.put("lab.origin.flapping", Integer.toString(flapping.port()));
        LoopRelay relay = LoopRelay.start();
        started.push(relay);
        values.put("lab.origin.loop", Integer.toString(relay.port()));
        Http2LabOrigins.start(values, started);
        startTier(options, values, started);
        LandingOrigin landing = new LandingOrigin();
        started.push(landing);
        values.put("lab.origin.landing", Integer.toString(landing.port()));

        Path yamlFile = options.configDirectory().resolve("lab.yaml");
        GatewayConfig config = ConfigLoader.parse(fill(Files.readString(yamlFile), values, yamlFile), yamlFile.toString());
        // The admin route exists before the gateway is bound; it reads the endpoints once they are known.
        AtomicReference<LabEndpoints> endpoints = new AtomicReference<>();
        EdgeServer gateway = EdgeServer.start(config, dns.authoritativePorts(), Map.of(SCENARIOS_PATH,
                () -> AdminResponse.json(200, ScenarioJson.render(LabScenarios.all(), endpoints.get()))));
        started.push(gateway);
        LabEndpoints at = new LabEndpoints(gateway.httpPort(), gateway.httpsPort(), gateway.adminPort(), caFile,
                dns.resolver().resolverLiteral());
        endpoints.set(at);
        CdnMatrix matrix = new CdnMatrix(cdnCases, at.dnsResolver(), caFile.toString(), dns.authoritativePorts());
        started.push(matrix);
        landing.serve(at, matrix);
        matrix.start(() -> landing.serve(at, matrix));
        relay.target(gateway.httpPort());
        started.push(BusyClient.start(gateway.httpPort(), LabScenarios.named(CONNECTION_LIMIT).host()));
        awaitFirstRequest(busyOrigin);
        return new Lab(started, gateway, at);
    }

    /**
     * Starts the second tier of {@code lab-tier.yaml}: the shield and cluster node behind the shield-failed and
     * peer-lost scenarios, with a port where nothing listens as the lost node.
     */
    private static void startTier(LabOptions options, Map<String, String> values, Deque<AutoCloseable> started)
            throws IOException, InterruptedException {
        BrokenOrigin lostPeer = BrokenOrigin.start(OriginFault.REFUSED);
        started.push(lostPeer);
        values.put("lab.peer.lost", Integer.toString(lostPeer.port()));
        Path tierFile = options.configDirectory().resolve("lab-tier.yaml");
        EdgeServer tier = EdgeServer.start(ConfigLoader.parse(fill(Files.readString(tierFile), values, tierFile),
                tierFile.toString()));
        started.push(tier);
        values.put("lab.tier", Integer.toString(tier.httpPort()));
    }

    /** Returns the running gateway. */
    public EdgeServer gateway() {
        return gateway;
    }

    /** Returns where the lab can be reached. */
    public LabEndpoints endpoints() {
        return endpoints;
    }

    /** Stops the gateway, then every origin and the DNS. */
    @Override
    public void close() {
        closeAll(resources);
    }

    /**
     * Replaces each {@code ${lab.NAME}} by its value, except in whole-line comments, which may mention them.
     *
     * @throws ConfigException naming the file, line and every unknown placeholder
     */
    static String fill(String text, Map<String, String> values, Path source) {
        StringBuilder out = new StringBuilder(text.length());
        List<String> unknown = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m = PLACEHOLDER.matcher(line);
            if (line.stripLeading().startsWith("#")) {
                out.append(line).append('\n');
                continue;
            }
            while (m.find()) {
                String value = values.get(m.group(1));
                if (value == null) {
                    unknown.add(source + ":" + (i + 1) + ": ${" + m.group(1) + "} (expected: one of "
                            + values.keySet() + ")");
                    value = m.group();
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out).append('\n');
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException(unknown);
        }
        return out.toString();
    }

    /** Waits until the busy client's request holds the origin's one connection, so that visitors find it taken. */
    private static void awaitFirstRequest(BrokenOrigin origin) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + BUSY_WAIT_MILLIS * 1_000_000;
        while (origin.receivedRequests() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IOException(CONNECTION_LIMIT + ": the lab's own request did not reach the origin within "
                        + BUSY_WAIT_MILLIS + " ms (expected: it holds the origin's only connection)");
            }
            Thread.sleep(10);
        }
    }

    /** Escapes text for the inside of a double-quoted YAML scalar, where the path placeholders stand. */
    private static String doubleQuotedYaml(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                // Keep stopping the rest; a lab that half-stops would hold its ports.
            }
        }
    }

    private record TlsSpec(TlsFault fault, String label) {
        String host() {
            return label + ".tls.lab.test";
        }
    }

    /** Serves the landing page at {@code lab.localhost}, through the gateway like every other site. */
    private static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes make an address", e);
        }
    }

    private static final class LandingOrigin implements AutoCloseable {
        private final LabHttpServer server;
        private volatile byte[] page = "the lab is starting\n".getBytes(StandardCharsets.US_ASCII);

        LandingOrigin() throws IOException {
            this.server = LabHttpServer.start(exchange -> {
                boolean root = "/".equals(exchange.getRequestURI().getPath());
                LabHttpServer.answer(exchange, root ? 200 : 404, Map.of(
                        HttpHeaderNames.CONTENT_TYPE.toString(), root ? "text/html; charset=utf-8" : "text/plain",
                        HttpHeaderNames.CACHE_CONTROL.toString(), "no-store"),
                        root ? page : "not found: the landing page is at /\n".getBytes(StandardCharsets.US_ASCII));
            });
        }

        void serve(LabEndpoints at, CdnMatrix matrix) {
            page = LandingPage.render(LabScenarios.all(), at, CdnMatrixSection.render(matrix)).getBytes(StandardCharsets.UTF_8);
        }

        int port() {
            return server.port();
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
