package io.telltale.core.cache;

import static io.telltale.core.cache.CacheFixture.get;
import static io.telltale.core.cache.CacheFixture.store;
import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.core.config.DataSize;
import io.telltale.core.config.SiteCacheConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StaleIfUnreachableTest {
    private final CacheFixture fixture = new CacheFixture();
    private final SiteCache site = fixture.cache.site("shop", new SiteCacheConfig(true, Duration.ZERO, Duration.ZERO,
            Duration.ofDays(1), Duration.ofSeconds(10), DataSize.ofMiB(1), null, List.of(), Duration.ZERO,
            Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(60), "Telltale-Cache-Control", true, false));

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void servesAStaleCopyWithinTheWindowWhenTheOriginCannotBeReachedAndSaysWhy() {
        store(site, "/a", 200, "stale body", "Cache-Control", "max-age=10");
        fixture.time.advance(Duration.ofMinutes(30));

        CacheResponse stale = get(site, "/a").serveStaleOnError(0, "OriginConnectionRefused");
        assertThat(stale.headers().get("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(stale.headers().get("Cache-Status")).isEqualTo("telltale; fwd=stale; ttl=-1790; detail=OriginConnectionRefused");
        assertThat(CacheFixture.bodyOf(stale)).isEqualTo("stale body");
        for (String code : new String[] {"NonS3OriginDnsError", "OriginConnectTimeout", "OriginSslHandshakeFailed",
            "OriginResponseTimeout", "OriginConnectionClosed"}) {
            CacheResponse served = get(site, "/a").serveStaleOnError(0, code);
            assertThat(served).as(code).isNotNull();
            served.release();
        }
    }

    @Test
    void isNoLicenceToServeStaleForAnErrorStatusOrAnEdgeRulesRefusal() {
        store(site, "/a", 200, "x", "Cache-Control", "max-age=10");
        fixture.time.advance(Duration.ofMinutes(1));

        assertThat(get(site, "/a").serveStaleOnError(503, null)).as("the origin answered").isNull();
        assertThat(get(site, "/a").serveStaleOnError(0, "FunctionValidationError")).isNull();
    }

    @Test
    void endsWithTheWindow() {
        store(site, "/a", 200, "x", "Cache-Control", "max-age=10", "ETag", "\"a\"");
        fixture.time.advance(Duration.ofSeconds(10).plus(Duration.ofHours(1)));

        assertThat(get(site, "/a").serveStaleOnError(0, "OriginConnectionRefused")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"max-age=10, must-revalidate", "max-age=10, proxy-revalidate", "max-age=10, no-cache",
        "s-maxage=10"})
    void isRefusedWhenTheResponseForbidsServingItStale(String cacheControl) {
        store(site, "/a", 200, "x", "Cache-Control", cacheControl, "ETag", "\"a\"");
        fixture.time.advance(Duration.ofMinutes(1));

        assertThat(get(site, "/a").serveStaleOnError(0, "OriginConnectionRefused")).isNull();
    }

    @Test
    void letsTheResponsesOwnStaleIfErrorRelaxSMaxAge() {
        store(site, "/a", 200, "x", "Cache-Control", "s-maxage=10, stale-if-error=120");
        fixture.time.advance(Duration.ofMinutes(1));

        CacheResponse stale = get(site, "/a").serveStaleOnError(0, "OriginConnectionRefused");
        assertThat(stale).isNotNull();
        stale.release();
    }

    @Test
    void keepsAnObjectForTheWindowSoThatItIsThereWhenTheOriginGoesAway() {
        store(site, "/a", 200, "x", "Cache-Control", "max-age=10");
        fixture.time.advance(Duration.ofMinutes(59));

        assertThat(get(site, "/a").hasStored()).isTrue();
        fixture.time.advance(Duration.ofMinutes(2));
        assertThat(get(site, "/a").hasStored()).isFalse();
    }
}
