package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.telltale.core.config.OriginTier;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.Phase;
import io.telltale.core.failure.ProxyStatus;
import io.telltale.core.failure.RenderedError;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Errors across tiers: when a site's origin is another Telltale tier (an origin shield) and that tier answers with
 * one of its catalogue errors, this hop answers with the shield's code, the shield's Proxy-Status members before
 * its own (RFC 9209 §2: one member per intermediary, the origin's side first) and the path the request took with the
 * failing hop marked. Evidence crosses only from a shield configured as trusted, and only to a trusted client.
 *
 * @param shieldMembers the shield's Proxy-Status members to keep, origin's side first
 * @param receivedStatus the status the shield answered
 * @param path the hops from the client to the origin, the failing link marked
 */
record ShieldRelay(List<String> shieldMembers, int receivedStatus, String path) {
    /** The response header that shows the hops a failed request took: {@code You -> edge -> shield -x-> origin}. */
    static final String PATH_HEADER = "X-Gateway-Path";
    private static final String ERROR_CODE = "x-gateway-error-code";
    private static final String PROXY_STATUS = "proxy-status";
    private static final Set<Phase> TOWARD_ORIGIN = EnumSet.of(Phase.DNS, Phase.CONNECT, Phase.TLS, Phase.RESPONSE);

    /**
     * Returns the failure to answer when a shield's response is one of its catalogue errors, else null; keeps what the
     * answer relays on the exchange.
     */
    static Failure relayed(ProxyExchange e, HttpHeaders shield, int status, String via) {
        OriginTier tier = e.target.origin().tier();
        FailureCode code = status >= 500 && tier != OriginTier.ORIGIN ? FailureCode.byCode(shield.get(ERROR_CODE)) : null;
        if (code == null) {
            return null;
        }
        List<String> members = new ArrayList<>();
        for (String value : shield.getAll(PROXY_STATUS)) {
            members.addAll(ProxyStatusMembers.split(value));
        }
        boolean evidence = tier == OriginTier.TRUSTED_SHIELD;
        List<String> kept = evidence && e.trusted ? members : members.stream().map(ProxyStatusMembers::errorOnly).toList();
        String path = path(via, members);
        e.shieldRelay = new ShieldRelay(kept, status, path);
        Evidence.Builder facts = Evidence.builder().put("path", path).put("shield", e.target.nextHop())
                .put("shieldStatus", status);
        if (evidence) {
            facts.put("shieldRequestId", shield.get(OriginRequests.X_REQUEST_ID)).put("shieldProxyStatus",
                    String.join(", ", members));
        }
        return Failure.of(code, "The origin shield at " + e.target.nextHop() + " answered " + status + " " + code.code()
                + ": the failure lies beyond it (" + path + ").", facts.build());
    }

    /** Returns the path of a failure between this hop and its shield: this hop's own failure. */
    private static String ownPath(String via) {
        return "You -> " + via + " -x-> shield -> origin";
    }

    /** Returns the hops from the client to the origin, each tier named as its Proxy-Status member names it. */
    private static String path(String via, List<String> members) {
        StringBuilder out = new StringBuilder(64).append("You -> ").append(via);
        for (int i = members.size() - 1; i >= 0; i--) {
            out.append(" -> ").append(ProxyStatusMembers.name(members.get(i)));
        }
        // The member nearest the origin failed toward its next hop when it names an error.
        boolean failed = !members.isEmpty() && ProxyStatusMembers.hasError(members.get(0));
        return out.append(failed ? " -x-> origin" : " -> origin").toString();
    }

    /**
     * Returns an exchange's rendered error as it crosses tiers: a shield's relayed error with the shield's members
     * and the path, this hop's own failure toward its shield with the path, anything else as it is.
     */
    static RenderedError decorate(ProxyExchange e, RenderedError rendered, String via) {
        if (e.shieldRelay != null) {
            return e.shieldRelay.decorate(rendered, via, e.nextHop(), e.trusted);
        }
        if (e.target == null || e.target.origin().tier() == OriginTier.ORIGIN || !TOWARD_ORIGIN.contains(e.failure.code().phase())) {
            return rendered;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(rendered.headers());
        headers.add(Map.entry(PATH_HEADER, ownPath(via)));
        return new RenderedError(rendered.status(), headers, rendered.contentType(), rendered.body());
    }

    private RenderedError decorate(RenderedError rendered, String via, String nextHop, boolean trusted) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(rendered.headers().size() + 1);
        List<String> members = new ArrayList<>(shieldMembers);
        members.add(ProxyStatus.forReceivedStatus(via, receivedStatus, trusted ? nextHop : null));
        for (Map.Entry<String, String> header : rendered.headers()) {
            headers.add(PROXY_STATUS.equalsIgnoreCase(header.getKey())
                    ? Map.entry(header.getKey(), String.join(", ", members)) : header);
        }
        headers.add(Map.entry(PATH_HEADER, path));
        return new RenderedError(rendered.status(), headers, rendered.contentType(), rendered.body());
    }
}
