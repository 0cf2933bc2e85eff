package io.telltale.server.balance;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.telltale.core.config.BalancePolicy;
import io.telltale.core.config.OriginConfig;
import io.telltale.core.config.OriginGroupConfig;
import io.telltale.core.config.SiteConfig;
import io.telltale.server.health.OriginHealth;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

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
    private final AtomicLongArray restingUntil;
    private final AtomicInteger retries = new AtomicInteger();
    private final int retryBudgetPercent;
    private final int minRetryConcurrency;
    private final long backoffNanos;
    private final long perTryTimeoutNanos;
    private final OutlierDetector outliers;
    private final OriginHealth health;

    private OriginGroup(SiteConfig site, long startMillis) {
        List<OriginConfig> origins = site.origins();
        OriginGroupConfig group = site.originGroup();
        this.configured = group != null;
        this.active = new AtomicIntegerArray(origins.size());
        this.restingUntil = new AtomicLongArray(origins.size());
        this.retryBudgetPercent = configured ? group.retryBudgetPercent() : 100;
        this.minRetryConcurrency = configured ? group.minRetryConcurrency() : 0;
        this.backoffNanos = configured ? group.retryBackoff().toNanos() : 0;
        this.outliers = configured && group.outlierDetection() != null
                ? new OutlierDetector(origins.stream().map(o -> o.host() + ":" + o.httpPort()).toList(),
                        group.outlierDetection())
                : null;
        this.health = configured && group.healthCheck() != null
                ? new OriginHealth(site.name(), origins.stream().map(o -> o.host() + ":" + o.httpPort()).toList(),
                        group.healthCheck(), startMillis)
                : null;
        this.perTryTimeoutNanos = configured && group.perTryTimeout() != null ? group.perTryTimeout().toNanos() : 0;
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
        return new OriginGroup(site, System.currentTimeMillis());
    }

    /** Returns the group of a site's origins whose health checks start at this instant (epoch milliseconds). */
    public static OriginGroup of(SiteConfig site, long startMillis) {
        return new OriginGroup(site, startMillis);
    }

    /** Returns what the active health checks know of the group's origins, or null when the group has none. */
    public OriginHealth health() {
        return health;
    }

    /** Returns whether passive outlier detection watches this group's origins. */
    public boolean detectsOutliers() {
        return outliers != null;
    }

    /** Returns how many times passive outlier detection ejected the origin at this index. */
    public int ejections(int origin) {
        return outliers == null ? 0 : outliers.ejections(origin);
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
    public int[] order(String host, String path, HttpHeaders headers, long nowNanos) {
        int[] all = picker.order(hashing ? hashKey(host, path, headers) : "");
        int away = 0;
        for (int i : all) {
            if (away(i, nowNanos)) {
                away++;
            }
        }
        if (away == 0) {
            return all;
        }
        int[] available = new int[all.length - away];
        for (int i = 0, at = 0; i < all.length; i++) {
            if (!away(all[i], nowNanos)) {
                available[at++] = all[i];
            }
        }
        return available;
    }

    private boolean away(int index, long nowNanos) {
        return resting(index, nowNanos) || (outliers != null && outliers.ejected(index, nowNanos))
                || (health != null && !health.healthy(index));
    }

    /** Counts a failed request at the origin (a failed connection, a timeout or a 5xx) for outlier detection. */
    public void failed(int index, long nowNanos) {
        if (outliers != null) {
            outliers.failed(index, nowNanos);
        }
    }

    /** Counts a request the origin served without a 5xx, which ends its run of failures. */
    public void succeeded(int index) {
        if (outliers != null) {
            outliers.succeeded(index);
        }
    }

    /** Returns whether outlier detection has the origin ejected now. */
    public boolean ejected(int index, long nowNanos) {
        return outliers != null && outliers.ejected(index, nowNanos);
    }

    /** Returns whether the origin asked with {@code Retry-After} to be left alone until after this instant. */
    public boolean resting(int index, long nowNanos) {
        long until = restingUntil.get(index);
        return until != 0 && until - nowNanos > 0;
    }

    /** Returns when the origin's rest ends on the nanosecond clock, 0 when it never rested. */
    public long restingUntil(int index) {
        return restingUntil.get(index);
    }

    /**
     * Takes the origin out of the group's orders for as long as its 503's {@code Retry-After} asks (at most an
     * hour); an unreadable value is ignored.
     */
    public void retryAfter(int index, String retryAfter, long nowNanos, long nowEpochMillis) {
        long millis = RetryAfter.millis(retryAfter, nowEpochMillis);
        if (millis > 0) {
            restingUntil.set(index, nowNanos + millis * 1_000_000);
        }
    }

    /**
     * Takes a retry from the budget: retries in flight may be at most the configured share of the group's
     * requests in flight, or the minimum when that is more. Returns false, taking nothing, when it is spent.
     */
    public boolean tryRetry() {
        int inFlight = 0;
        for (int i = 0; i < active.length(); i++) {
            inFlight += active.get(i);
        }
        int allowed = Math.max(minRetryConcurrency, inFlight * retryBudgetPercent / 100);
        for (;;) {
            int now = retries.get();
            if (now >= allowed) {
                return false;
            }
            if (retries.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Returns a retry to the budget once it ended. */
    public void retryEnded() {
        retries.decrementAndGet();
    }

    /** Returns the retries in flight and what the budget allows now, for the evidence of a refused retry. */
    public String budget() {
        int inFlight = 0;
        for (int i = 0; i < active.length(); i++) {
            inFlight += active.get(i);
        }
        return retries.get() + " retries in flight of " + Math.max(minRetryConcurrency, inFlight * retryBudgetPercent / 100)
                + " allowed (" + retryBudgetPercent + "% of " + inFlight + " requests in flight, at least "
                + minRetryConcurrency + ")";
    }

    /**
     * Returns the wait before a request's {@code n}th retry (1 for the first): between half and all of the base
     * doubled per retry, capped at ten times the base; 0 when no backoff is configured.
     */
    public long backoffNanos(int n) {
        if (backoffNanos == 0) {
            return 0;
        }
        long ceiling = Math.min(backoffNanos * 10, backoffNanos << Math.min(n - 1, 10));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    /** Returns the most one attempt may take to its response head, 0 when the group sets no per-try timeout. */
    public long perTryTimeoutNanos() {
        return perTryTimeoutNanos;
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
