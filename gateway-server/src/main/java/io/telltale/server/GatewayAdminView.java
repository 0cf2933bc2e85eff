package io.telltale.server;

import io.telltale.core.diagnosis.DiagnosisJson;
import io.telltale.core.diagnosis.DiagnosisText;
import io.telltale.core.diagnosis.OriginProbe;
import io.telltale.core.diagnosis.ProbeOptions;
import io.telltale.core.dns.ProhibitedAddresses;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.FailureJournal;
import io.telltale.core.tls.EdgeTlsContexts;
import io.telltale.core.tls.TlsConfigException;
import io.telltale.server.admin.AdminResponse;
import io.telltale.server.admin.AdminView;
import io.telltale.server.cluster.PeerPurges;
import io.telltale.server.health.OriginsJson;
import io.telltale.server.proxy.Gateway;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** The admin API's view of a running gateway; the diagnosis probe and its threads exist only once used. */
final class GatewayAdminView implements AdminView, AutoCloseable {
    private final Supplier<Gateway> gateways;
    private final Supplier<EdgeTlsContexts> certificates;
    private final Function<InetAddress, Integer> authoritativePorts;
    private final ConfigReloads reloads;
    private final AdminPreflights preflights = new AdminPreflights();
    private OriginProbe probe;
    private boolean closed;

    /**
     * Creates the view of a server.
     *
     * @param gateways the gateway new requests use, which a reload replaces
     * @param certificates the edge certificates in use, or null without an HTTPS listener
     * @param authoritativePorts the lab's authoritative DNS ports, or null for the configured one
     * @param reloads reloads the server's config
     */
    GatewayAdminView(Supplier<Gateway> gateways, Supplier<EdgeTlsContexts> certificates,
            Function<InetAddress, Integer> authoritativePorts, ConfigReloads reloads) {
        this.gateways = gateways;
        this.certificates = certificates;
        this.authoritativePorts = authoritativePorts;
        this.reloads = reloads;
    }

    private synchronized OriginProbe probe() {
        if (closed) {
            throw new IllegalStateException("the gateway is stopping");
        }
        if (probe == null) {
            probe = new OriginProbe(Clock.systemUTC(), authoritativePorts);
        }
        return probe;
    }

    /** Releases the probe's threads, if a diagnosis ever started them. */
    @Override
    public synchronized void close() {
        closed = true;
        preflights.close();
        if (probe != null) {
            probe.close();
        }
    }

    @Override
    public List<String> reloadCertificates() {
        EdgeTlsContexts edge = certificates.get();
        if (edge == null) {
            return List.of("server.httpsPort: not set (expected: an HTTPS listener whose certificates to reload)");
        }
        Gateway gateway = gateways.get();
        try {
            edge.reload(gateway.config().server(), gateway.config().sites());
            return List.of();
        } catch (TlsConfigException e) {
            return e.problems();
        }
    }

    @Override
    public byte[] origins() {
        Gateway gateway = gateways.get();
        return OriginsJson.render(gateway.router().sites(), gateway.nanoClock().getAsLong());
    }

    @Override
    public boolean ready() {
        return !gateways.get().draining().get();
    }

    @Override
    public String metrics() {
        return gateways.get().metrics().scrape();
    }

    @Override
    public Optional<byte[]> failure(String requestId) {
        return gateways.get().journal().find(requestId).map(FailureJournal::toJson);
    }

    @Override
    public byte[] failures(String code, int limit) {
        FailureCode filter = null;
        if (code != null) {
            filter = FailureCode.byCode(code);
            if (filter == null) {
                throw new IllegalArgumentException("code: " + code);
            }
        }
        return FailureJournal.toJson(gateways.get().journal().recent(filter, limit));
    }

    @Override
    public int purge(String site, String host, String path, boolean prefix) {
        Gateway gateway = gateways.get();
        if (gateway.config().sites().stream().noneMatch(s -> s.name().equals(site))) {
            throw new IllegalArgumentException("site: " + site);
        }
        return gateway.cache().purge(site, host, path, prefix);
    }

    @Override
    public CompletableFuture<String> purgePeers(String site, String host, String path, boolean prefix) {
        Gateway gateway = gateways.get();
        if (gateway.cluster() == null) {
            return CompletableFuture.completedFuture(null);
        }
        return gateway.cluster().purges().purge(site, host, path, prefix).thenApply(results -> results.stream()
                .map(PeerPurges.PeerResult::json).collect(Collectors.joining(",", "[", "]")));
    }

    @Override
    public CompletableFuture<AdminResponse> diagnose(String url, String sni, boolean json) {
        Gateway gateway = gateways.get();
        ProbeOptions options = new ProbeOptions(gateway.config().dns().resolvers(), sni, null, null, null,
                reachable(gateway), gateway.config().limits().maxResponseHeaderSize().toIntBytes());
        return probe().probe(url, options).thenApply(report -> json
                ? AdminResponse.json(200, DiagnosisJson.write(report))
                : AdminResponse.text(200, DiagnosisText.render(report)));
    }

    @Override
    public CompletableFuture<AdminResponse> preflight(String url, String cdns) {
        Gateway gateway = gateways.get();
        return preflights.start(probe(), gateway.config().dns().resolvers(), reachable(gateway), url, cdns);
    }

    /** The probes may reach what some site's origins may reach, and no more: not a door into the network. */
    private static ProhibitedAddresses reachable(Gateway gateway) {
        return ProhibitedAddresses.allowingCidrs(gateway.config().sites().stream()
                .flatMap(site -> site.allowedOriginNetworks().stream()).distinct().toList());
    }

    @Override
    public CompletableFuture<List<String>> reloadConfig() {
        // Reloads are rare: a thread of their own keeps file reads and binds off the event loops.
        return CompletableFuture.supplyAsync(reloads::fromFile, task -> {
            Thread thread = new Thread(task, "telltale-config-reload");
            thread.setDaemon(true);
            thread.start();
        });
    }

    @Override
    public byte[] loadedConfig() {
        return reloads.loaded().toJson();
    }
}
