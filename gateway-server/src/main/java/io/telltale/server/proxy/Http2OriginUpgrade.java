package io.telltale.server.proxy;

import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.origin.OriginTarget;
import java.util.Locale;

/**
 * Refuses an upgrade (a WebSocket) toward an origin spoken to in HTTP/2: HTTP/2 has no {@code Upgrade}, so the
 * request would reach the origin as a plain one, and its answer would look like the origin refusing the upgrade.
 * The gateway does not fall back to an HTTP/1.1 connection on its own: an h2c port often speaks nothing else (gRPC
 * servers), and the operator chose the origin's protocol.
 */
final class Http2OriginUpgrade {
    private Http2OriginUpgrade() {
    }

    /** Returns why this exchange's upgrade cannot go to the target, or null when it can (or is no upgrade). */
    static Failure refused(ProxyExchange e, OriginTarget target) {
        if (e.upgrade == null || !target.http2()) {
            return null;
        }
        return Failure.of(FailureCode.ORIGIN_UPGRADE_UNSUPPORTED, "The client asked for Upgrade: " + e.upgrade
                + ", but the site speaks " + protocolName(target)
                + " (HTTP/2) to the origin " + target.nextHop() + ", which cannot carry an upgrade; nothing was sent.",
                Evidence.builder()
                        .put("origin.host", target.origin().host())
                        .put("origin.port", target.port())
                        .put("origin.protocol", protocolName(target))
                        .put("upgrade", e.upgrade)
                        .build());
    }

    private static String protocolName(OriginTarget target) {
        return target.origin().protocol().name().toLowerCase(Locale.ROOT);
    }
}
