package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.telltale.core.config.DetailPolicy;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Predicate;

/**
 * Decides whether a request may see a failure's full evidence, per the site's detail policy: never for
 * {@code public}, always for {@code full}, and for {@code trusted} only with the debug token or from a
 * trusted network.
 */
public final class ClientTrust {
    /** The request header that carries a site's debug token. */
    static final String DEBUG_HEADER = "X-Telltale-Debug";

    private final DetailPolicy policy;
    private final byte[] token;
    private final List<Predicate<InetAddress>> networks;

    public ClientTrust(DetailPolicy policy, String token, List<Predicate<InetAddress>> networks) {
        this.policy = policy;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.networks = List.copyOf(networks);
    }

    /** Returns whether this request is trusted with evidence. */
    boolean trusts(HttpHeaders headers, InetAddress client) {
        if (policy == DetailPolicy.FULL) {
            return true;
        }
        if (policy == DetailPolicy.PUBLIC) {
            return false;
        }
        if (token != null) {
            String offered = headers.get(DEBUG_HEADER);
            // Constant-time comparison: the token is a secret.
            if (offered != null && MessageDigest.isEqual(token, offered.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        if (client != null) {
            for (Predicate<InetAddress> network : networks) {
                if (network.test(client)) {
                    return true;
                }
            }
        }
        return false;
    }
}
