package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.OriginHop;
import io.telltale.core.http.HopByHop;
import io.telltale.server.tunnel.TunnelOutcome;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which requests ask for a protocol upgrade the gateway passes on (RFC 9110 §7.8), and the failures of an upgrade:
 * the origin refusing it, switching to another protocol, or the tunnel that follows being cut.
 */
final class Upgrades {
    private Upgrades() {
    }

    /**
     * Returns the upgrade to ask the origin for, or null when the request is served as plain HTTP: only a bodiless
     * HTTP/1.1 GET whose Connection lists {@code upgrade}, on a client connection that can become a tunnel, asking for
     * a protocol the site allows. Any other Upgrade is dropped with the hop-by-hop fields, which RFC 9110 allows.
     */
    static String requested(ProxyExchange e, List<String> allowed) {
        RequestFacts facts = e.facts();
        if (allowed.isEmpty() || !e.downstream().upgradable() || !facts.http11()
                || !HttpMethod.GET.equals(facts.request().method()) || facts.hasBody()) {
            return null;
        }
        HttpHeaders h = facts.request().headers();
        String offered = h.get(HttpHeaderNames.UPGRADE);
        if (offered == null || !HopByHop.connectionOptions(h).contains("upgrade")) {
            return null;
        }
        for (String protocol : offered.split(",")) {
            String name = protocol.trim();
            for (String permitted : allowed) {
                if (permitted.equalsIgnoreCase(name)) {
                    return name;
                }
            }
        }
        return null;
    }

    /** Returns whether an origin's 101 switches to the protocol that was asked for. */
    static boolean switchesTo(HttpResponse response, String upgrade) {
        String chosen = response.headers().get(HttpHeaderNames.UPGRADE);
        if (chosen == null) {
            return false;
        }
        for (String protocol : chosen.split(",")) {
            if (protocol.trim().equalsIgnoreCase(upgrade)) {
                return true;
            }
        }
        return false;
    }

    /** Returns the protocol label of an upgraded exchange for metrics and the access log ({@code websocket}). */
    static String label(String upgrade) {
        return upgrade.toLowerCase(Locale.ROOT);
    }

    /** The origin answered the upgrade request with an ordinary response instead of 101. */
    static Failure refused(ProxyExchange e, HttpResponse response, OriginHop hop) {
        int status = response.status().code();
        Evidence evidence = hopEvidence(hop)
                .put("origin.status", status)
                .put("origin.reason", response.status().reasonPhrase())
                .put("upgrade", e.upgrade)
                .put("origin.upgrade", response.headers().get(HttpHeaderNames.UPGRADE))
                .put("origin.secWebSocketVersion", response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))
                .put("request.path", e.facts().path())
                .build();
        return new Failure(FailureCode.ORIGIN_UPGRADE_REFUSED, null, Map.of("received-status", status),
                describe(hop) + " answered the request to switch to " + e.upgrade + " with " + status + " "
                        + response.status().reasonPhrase() + " instead of 101 Switching Protocols.",
                evidence, FailureCode.ORIGIN_UPGRADE_REFUSED.ownerAdvice(evidence));
    }

    /** The origin answered 101 but switched to a protocol other than the one asked for, or named none. */
    static Failure wrongProtocol(ProxyExchange e, HttpResponse response, OriginHop hop) {
        String chosen = response.headers().get(HttpHeaderNames.UPGRADE);
        Evidence evidence = hopEvidence(hop)
                .put("origin.status", 101)
                .put("upgrade", e.upgrade)
                .put("origin.upgrade", chosen)
                .build();
        return new Failure(FailureCode.ORIGIN_INVALID_RESPONSE, null, null, describe(hop)
                + " answered 101 Switching Protocols " + (chosen == null ? "without an Upgrade field" : "switching to "
                + chosen) + " when " + e.upgrade + " was asked for.", evidence,
                FailureCode.ORIGIN_INVALID_RESPONSE.ownerAdvice(evidence));
    }

    /** A request that can only be a tunnel (an HTTP/2 extended CONNECT) asked for an upgrade the site does not pass on. */
    static Failure notPassedOn(ProxyExchange e) {
        List<String> allowed = e.site.config().upgrades().protocols();
        String asked = e.facts().request().headers().get(HttpHeaderNames.UPGRADE);
        return Failure.of(FailureCode.METHOD_NOT_ALLOWED, "This site does not pass " + asked
                        + " on to its origin (upgrades.protocols: " + allowed + "), so the extended CONNECT cannot"
                        + " become a tunnel.",
                Evidence.builder().put("method", "CONNECT").put("protocol", asked).put("site", e.site.name())
                        .put("upgrades.protocols", String.join(",", allowed)).build());
    }

    /** The tunnel after a 101 was cut: by a reset on one side, the idle timeout, or a stop. */
    static Failure cut(ProxyExchange e, TunnelOutcome outcome) {
        long idleMillis = e.site.config().upgrades().idleTimeout().toMillis();
        Evidence evidence = Evidence.builder()
                .put("upgrade", e.upgrade)
                .put("tunnel.cutBy", outcome.endedBy().label())
                .put("tunnel.reason", outcome.reason())
                .put("tunnel.bytesToOrigin", outcome.bytesToOrigin())
                .put("tunnel.bytesToClient", outcome.bytesToClient())
                .put("tunnel.durationMs", TimeUnit.NANOSECONDS.toMillis(outcome.durationNanos()))
                .put("tunnel.idleTimeoutMs", idleMillis)
                .build();
        return new Failure(FailureCode.TUNNEL_CUT, null, null, "The " + e.upgrade + " tunnel was cut by the "
                + outcome.endedBy().label() + " (" + outcome.reason() + ") after " + outcome.bytesToOrigin()
                + " bytes to the origin and " + outcome.bytesToClient() + " bytes to the client.", evidence,
                FailureCode.TUNNEL_CUT.ownerAdvice(evidence));
    }

    private static Evidence.Builder hopEvidence(OriginHop hop) {
        return Evidence.builder()
                .put("origin.host", hop.host())
                .put("origin.port", hop.port())
                .put("origin.address", hop.addressText());
    }

    private static String describe(OriginHop hop) {
        return "The origin " + hop.nextHop();
    }
}
