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
import io.telltale.server.health.OriginsJson;
import io.telltale.server.proxy.Gateway;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The admin API's view of a running gateway; the diagnosis probe and its threads exist only once used. */
final class GatewayAdminView implements AdminView, AutoCloseable {
    private final Gateway gateway;
    private final Function<InetAddress, Integer> authoritativePorts;
    private OriginProbe probe;
    private boolean closed;
    private final EdgeTlsContexts certificates;
    private final ProhibitedAddresses reachable;

    GatewayAdminView(Gateway gateway, Function<InetAddress, Integer> authoritativePorts, EdgeTlsContexts certificates) {
        this.gateway = gateway;
        this.authoritativePorts = authoritativePorts;
        this.certificates = certificates;
        this.reachable = ProhibitedAddresses.allowingCidrs(gateway.config().sites().stream()
                .flatMap(site -> site.allowedOriginNetworks().stream()).distinct().toList());
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
        if (probe != null) {
            probe.close();
        }
    }

    @Override
    public List<String> reloadCertificates() {
        if (certificates == null) {
            return List.of("server.httpsPort: not set (expected: an HTTPS listener whose certificates to reload)");
        }
        try {
            certificates.reload(gateway.config().server(), gateway.config().sites());
            return List.of();
        } catch (TlsConfigException e) {
            return e.problems();
        }
    }

    @Override
    public byte[] origins() {
        return OriginsJson.render(gateway.router().sites(), gateway.nanoClock().getAsLong());
    }

    @Override
    public boolean ready() {
        return !gateway.draining().get();
    }

    @Override
    public String metrics() {
        return gateway.metrics().scrape();
    }

    @Override
    public Optional<byte[]> failure(String requestId) {
        return gateway.journal().find(requestId).map(FailureJournal::toJson);
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
        return FailureJournal.toJson(gateway.journal().recent(filter, limit));
    }

    @Override
    public int purge(String site, String host, String path, boolean prefix) {
        if (gateway.config().sites().stream().noneMatch(s -> s.name().equals(site))) {
            throw new IllegalArgumentException("site: " + site);
        }
        return gateway.cache().purge(site, host, path, prefix);
    }

    @Override
    public CompletableFuture<AdminResponse> diagnose(String url, String sni, boolean json) {
        // The probe may reach what some site's origins may reach, and no more: not a door into the network.
        ProbeOptions options = new ProbeOptions(gateway.config().dns().resolvers(), sni, null, null, null,
                reachable, gateway.config().limits().maxResponseHeaderSize().toIntBytes());
        return probe().probe(url, options).thenApply(report -> json
                ? AdminResponse.json(200, DiagnosisJson.write(report))
                : AdminResponse.text(200, DiagnosisText.render(report)));
    }
}
