package io.telltale.core.cache;

import static io.telltale.core.cache.CacheFixture.headers;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheControlTest {
    @Test
    void readsDirectivesAcrossFieldLinesAndIgnoresCase() {
        CacheControl cc = CacheControl.of(headers("Cache-Control", "Public, MAX-AGE=60", "cache-control",
                "s-maxage=\"120\", stale-while-revalidate=30, stale-if-error=600, must-revalidate, x-unknown=1"));

        assertThat(cc.isPublic).isTrue();
        assertThat(cc.maxAge).isEqualTo(60);
        assertThat(cc.sMaxAge).isEqualTo(120);
        assertThat(cc.staleWhileRevalidate).isEqualTo(30);
        assertThat(cc.staleIfError).isEqualTo(600);
        assertThat(cc.mustRevalidate).isTrue();
        assertThat(cc.forbidsStale()).isTrue();
    }

    @Test
    void readsQualifiedNoCacheAndPrivateAsUnqualified() {
        CacheControl cc = CacheControl.of(headers("Cache-Control", "no-cache=\"Set-Cookie, X-A\", private=\"X-B\""));

        assertThat(cc.noCache).isTrue();
        assertThat(cc.isPrivate).isTrue();
    }

    @Test
    void treatsAnInvalidMaxAgeAsZeroSoTheResponseIsStale() {
        assertThat(CacheControl.of(headers("Cache-Control", "max-age=ten")).maxAge).isZero();
        assertThat(CacheControl.of(headers("Cache-Control", "max-age=-5")).maxAge).isZero();
    }

    @Test
    void readsRequestDirectives() {
        CacheControl cc = CacheControl.of(headers("Cache-Control", "max-stale, min-fresh=5, only-if-cached, no-store"));

        assertThat(cc.maxStale).isEqualTo(Long.MAX_VALUE);
        assertThat(cc.minFresh).isEqualTo(5);
        assertThat(cc.onlyIfCached).isTrue();
        assertThat(cc.noStore).isTrue();
        assertThat(CacheControl.of(headers("Cache-Control", "max-stale=7")).maxStale).isEqualTo(7);
    }

    @Test
    void saturatesHugeSecondsAtTwoToTheThirtyFirst() {
        assertThat(CacheControl.of(headers("Cache-Control", "max-age=99999999999999999999")).maxAge).isEqualTo(2147483648L);
    }

    @Test
    void returnsTheSharedEmptyInstanceWithoutTheHeader() {
        assertThat(CacheControl.of(headers("Accept", "*/*"))).isSameAs(CacheControl.NONE);
    }
}
