package io.telltale.server.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.telltale.core.cache.CacheFill;
import io.telltale.core.cache.CacheLookup;
import io.telltale.core.cache.CacheResponse;
import java.util.function.Consumer;

/** The cache's answers in place of an origin response: a 304 that refreshes the stored object, a stale copy for a 5xx. */
final class CacheAnswers {
    private final ExchangeAnswers answers;
    private final Consumer<ProxyExchange> refetch;

    /** Creates the answers; {@code refetch} sends a request on again without the cache's validators. */
    CacheAnswers(ExchangeAnswers answers, Consumer<ProxyExchange> refetch) {
        this.answers = answers;
        this.refetch = refetch;
    }

    /**
     * Feeds the head of an origin response to the cache fill this request leads, unless the cache answers
     * instead: a 304 refreshing the stored object, or a stale copy in place of an origin error. Returns true
     * when the client was answered from the cache.
     */
    boolean answeredInsteadOfFill(ProxyExchange e, HttpResponse response, HttpHeaders h, int code) {
        CacheFill fill = e.fill;
        if (code == 304 && e.lookup.hasStored()) {
            e.fill = null;
            e.dropAttempt();
            CacheLookup refreshed = fill.notModified(h);
            CacheResponse fresh = refreshed == null ? null : refreshed.serve();
            if (fresh != null) {
                answers.serveStored(e, fresh);
                return true;
            }
            // The 304 does not match what is stored: fetch the object again without validators.
            fill.fail(code, null);
            e.lookup = null;
            refetch.accept(e);
            return true;
        }
        if (code >= 500) {
            CacheResponse stale = e.lookup.serveStaleOnError(code, null);
            if (stale != null) {
                fill.fail(code, null);
                e.fill = null;
                e.dropAttempt();
                answers.serveStored(e, stale);
                return true;
            }
        }
        fill.head(response.status(), h);
        e.cacheStatus = fill.cacheStatus();
        return false;
    }
}
