package io.telltale.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaders;
import io.telltale.core.cache.CacheStatus.Forward;
import org.junit.jupiter.api.Test;

class CacheStatusTest {
    @Test
    void saysHitsMissesRefreshesAndErrorsInBothHeaders() {
        assertThat(CacheStatus.hit(42).cacheStatus()).isEqualTo("telltale; hit; ttl=42");
        assertThat(CacheStatus.hit(42).xCache()).isEqualTo("Hit from gateway");
        assertThat(CacheStatus.forward(Forward.URI_MISS, true, false).cacheStatus()).isEqualTo("telltale; fwd=uri-miss; stored");
        assertThat(CacheStatus.forward(Forward.METHOD, false, false).xCache()).isEqualTo("Miss from gateway");
        assertThat(CacheStatus.refreshHit(9).xCache()).isEqualTo("RefreshHit from gateway");
        assertThat(CacheStatus.staleOnError(0, -3, "OriginConnectTimeout").cacheStatus())
                .isEqualTo("telltale; fwd=stale; ttl=-3; detail=OriginConnectTimeout");
        assertThat(CacheStatus.hit(1).asError().xCache()).isEqualTo("Error from gateway");
    }

    @Test
    void reusesThePrecomputedForwardStatuses() {
        assertThat(CacheStatus.forward(Forward.STALE, true, true)).isSameAs(CacheStatus.forward(Forward.STALE, true, true));
    }

    @Test
    void appendsItsMemberAfterAnUpstreamCachesAndReplacesXCache() {
        HttpHeaders headers = CacheFixture.headers("Cache-Status", "origin-cache; hit", "X-Cache", "Hit from cloudfront");
        CacheStatus.hit(5).addTo(headers);

        assertThat(headers.getAll("Cache-Status")).containsExactly("origin-cache; hit", "telltale; hit; ttl=5");
        assertThat(headers.getAll("X-Cache")).containsExactly("Hit from gateway");
    }
}
