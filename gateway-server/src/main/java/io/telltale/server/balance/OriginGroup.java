package io.telltale.server.balance;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.telltale.core.config.BalancePolicy;
import io.telltale.core.config.OriginConfig;
import io.telltale.core.config.OriginGroupConfig;
import io.telltale.core.config.SiteConfig;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A site's origins as one group: the order a request tries them in, the origin statuses that send a request
 * on to the next one, and each origin's requests in flight. A site without an {@code originGroup} is the plain
 * ordered list that moves on only when connecting fails.
 */
public final class OriginGroup {
    private static final String HEADER = "header:";
    private static final String COOKIE = "cookie:";

    private final boolean configured;
    private final boolean[] failoverStatuses = new boolean[600];
    private final OriginPicker picker;
    private final AtomicIntegerArray active;
    private final String hashHeader;
    private final String hashCookie;
    private final boolean hashing;

    private OriginGroup(SiteConfig site) {
        List<OriginConfig> origins = site.origins();
        OriginGroupConfig group = site.originGroup();
        this.configured = group != null;
        this.active = new AtomicIntegerArray(origins.size());
        int[] weights = origins.stream().mapToInt(OriginConfig::weight).toArray();
        String hashOn = configured ? group.hashOn() : "url";
        this.hashHeader = hashOn.startsWith(HEADER) ? hashOn.substring(HEADER.length()) : null;
        this.hashCookie = hashOn.startsWith(COOKIE) ? hashOn.substring(COOKIE.length()) : null;
        if (configured) {
            group.failoverStatuses().forEach(s -> failoverStatuses[s] = true);
        }
        this.hashing = configured && group.policy() == BalancePolicy.HASH;
        this.picker = !configured ? new FailoverPicker(origins.size()) : switch (group.policy()) {
            case FAILOVER -> new FailoverPicker(origins.size());
            case ROUND_ROBIN -> new RoundRobinPicker(weights);
            case LEAST_REQUEST -> new LeastRequestPicker(weights, active);
            case HASH -> new RendezvousPicker(origins.stream().map(o -> o.host() + ":" + o.httpPort() + ":"
                    + o.httpsPort()).toList(), weights);
        };
    }

    /** Returns the group of a site's origins. */
    public static OriginGroup of(SiteConfig site) {
        return new OriginGroup(site);
    }

    /** Returns whether the site configured a group, so its failover rules apply beyond connect failures. */
    public boolean configured() {
        return configured;
    }

    /**
     * Returns the origin indexes in the order this request tries them.
     *
     * @param host the request's host name
     * @param path the request's path and query
     * @param headers the request's headers, for hashing on a header or a cookie
     */
    public int[] order(String host, String path, HttpHeaders headers) {
        return picker.order(hashing ? hashKey(host, path, headers) : "");
    }

    /** Returns whether an origin answering this status sends the request on to the next origin. */
    public boolean failsOverOn(int status) {
        return status >= 0 && status < failoverStatuses.length && failoverStatuses[status];
    }

    /** Counts a request that began at this origin. */
    public void started(int index) {
        active.incrementAndGet(index);
    }

    /** Counts a request at this origin that ended. */
    public void ended(int index) {
        active.decrementAndGet(index);
    }

    /** Returns the requests in flight at this origin. */
    public int active(int index) {
        return active.get(index);
    }

    private String hashKey(String host, String path, HttpHeaders headers) {
        if (hashHeader != null) {
            return headers.get(hashHeader, "");
        }
        if (hashCookie != null) {
            for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
                for (Cookie c : ServerCookieDecoder.LAX.decodeAll(header)) {
                    if (c.name().equals(hashCookie)) {
                        return c.value();
                    }
                }
            }
            return "";
        }
        return host + path;
    }
}
