package io.telltale.core.cache;

import static io.telltale.core.cache.CacheFixture.get;
import static io.telltale.core.cache.CacheFixture.headers;
import static io.telltale.core.cache.CacheFixture.store;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.telltale.core.cache.CacheLookup.Kind;
import io.telltale.core.config.DataSize;
import io.telltale.core.config.SiteCacheConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetedFieldTest {
    private static final TargetList DEFAULT = TargetList.of("Telltale-Cache-Control", true, false);

    private final CacheFixture fixture = new CacheFixture();
    private final SiteCache site = fixture.site();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void parsesADictionaryWithTheTypesDirectivesUse() {
        Map<String, Object> members = StructuredDictionary.parse(
                "max-age=60,  no-cache=\"set-cookie\", private;x=1, s-maxage=1.5, foo=bar, l=(1 2);p, b=:AQ==:, t=?0");

        assertThat(members).containsEntry("max-age", 60L).containsEntry("no-cache", "set-cookie")
                .containsEntry("private", Boolean.TRUE).containsEntry("s-maxage", StructuredDictionary.OTHER)
                .containsEntry("foo", new StructuredDictionary.Token("bar")).containsEntry("l", StructuredDictionary.OTHER)
                .containsEntry("b", StructuredDictionary.OTHER).containsEntry("t", Boolean.FALSE);
        assertThat(StructuredDictionary.parse("max-age=1, max-age=2")).as("the last of a repeated key wins")
                .containsEntry("max-age", 2L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "max-age=60,", ",max-age=60", "Max-Age=60", "max-age=60;", "max-age=",
        "max-age=1234567890123456", "max-age=60 no-store", "no-store=\"unterminated", "no-store=\"bad\\q\"",
        "a=(1 2", "a=(1,2)", "max-age=6.", "b=:not base64!:", "t=?2", "max-age=60, , no-store", "1=2", "a=@"})
    void refusesAFieldThatIsNotAValidDictionary(String field) {
        assertThat(StructuredDictionary.parse(field)).isNull();
    }

    @Test
    void takesTheMostSpecificValidFieldAndIgnoresCacheControlAndExpires() {
        HttpHeaders response = headers("Cache-Control", "no-store", "Expires", "0",
                "CDN-Cache-Control", "max-age=600", "Telltale-Cache-Control", "max-age=60, stale-if-error=30");
        CacheControl own = DEFAULT.directives(response);
        assertThat(own.maxAge).isEqualTo(60);
        assertThat(own.staleIfError).isEqualTo(30);
        assertThat(own.noStore).isFalse();
        assertThat(CachePolicy.explicitLifetimeMillis(own, response, 0)).isEqualTo(60_000);

        response.remove("Telltale-Cache-Control");
        assertThat(DEFAULT.directives(response).maxAge).isEqualTo(600);
        response.set("CDN-Cache-Control", "stale-while-revalidate=10");
        assertThat(CachePolicy.explicitLifetimeMillis(DEFAULT.directives(response), response, 0))
                .as("Expires is ignored too: no explicit lifetime").isEqualTo(CachePolicy.NONE);
    }

    @Test
    void fallsBackToCacheControlWhenTheTargetedFieldsAreInvalidOrEmpty() {
        HttpHeaders response = headers("Cache-Control", "max-age=5", "CDN-Cache-Control", "max-age=600,",
                "Telltale-Cache-Control", "");
        CacheControl cc = DEFAULT.directives(response);
        assertThat(cc.targeted).isFalse();
        assertThat(cc.maxAge).isEqualTo(5);
    }

    @Test
    void readsEveryDirectiveRfc9213Names() {
        CacheControl cc = DEFAULT.directives(headers("CDN-Cache-Control",
                "s-maxage=7, max-age=5, no-cache, private, must-revalidate, proxy-revalidate, no-store, public, "
                        + "stale-while-revalidate=3, stale-if-error=4"));
        assertThat(cc.sMaxAge).isEqualTo(7);
        assertThat(cc.maxAge).isEqualTo(5);
        assertThat(cc.noCache && cc.isPrivate && cc.mustRevalidate && cc.proxyRevalidate && cc.noStore && cc.isPublic)
                .isTrue();
        assertThat(cc.staleWhileRevalidate).isEqualTo(3);
        assertThat(cc.staleIfError).isEqualTo(4);

        CacheControl odd = DEFAULT.directives(headers("CDN-Cache-Control",
                "max-age=1.5, stale-if-error=-1, public=?0, no-store=?0, stale-while-revalidate=\"3\""));
        assertThat(odd.maxAge).as("a max-age that is not an Integer makes the response stale").isZero();
        assertThat(odd.staleIfError).isEqualTo(CacheControl.ABSENT);
        assertThat(odd.staleWhileRevalidate).isEqualTo(CacheControl.ABSENT);
        assertThat(odd.isPublic).isFalse();
        assertThat(odd.noStore).as("a restrictive directive counts whatever its value").isTrue();
    }

    @Test
    void storesByTheTargetedFieldAndKeepsTheOwnFieldFromClients() {
        HttpHeaders origin = headers("Cache-Control", "no-store", "Telltale-Cache-Control", "max-age=60",
                "CDN-Cache-Control", "no-store");
        CacheFill fill = site.tryFill(get(site, "/a"));

        assertThat(fill.head(HttpResponseStatus.OK, origin)).isTrue();
        assertThat(origin.contains("Telltale-Cache-Control")).as("removed from what the caller forwards").isFalse();
        assertThat(origin.get("CDN-Cache-Control")).as("kept for CDNs downstream").isEqualTo("no-store");
        fill.complete();

        CacheResponse hit = get(site, "/a").serve();
        assertThat(hit.headers().get("Cache-Status")).isEqualTo("telltale; hit; ttl=60");
        assertThat(hit.headers().contains("Telltale-Cache-Control")).isFalse();
        assertThat(hit.headers().get("Cache-Control")).isEqualTo("no-store");
        hit.release();
    }

    @Test
    void refusesToStoreWhatTheTargetedFieldForbids() {
        assertThat(store(site, "/n", 200, "x", "Cache-Control", "max-age=60", "CDN-Cache-Control", "no-store"))
                .isFalse();
        assertThat(store(site, "/p", 200, "x", "Cache-Control", "public, max-age=60", "CDN-Cache-Control",
                "private")).isFalse();
        assertThat(store(site, "/c", 200, "x", "Cache-Control", "max-age=60", "CDN-Cache-Control",
                "no-cache, max-age=60", "ETag", "\"c\"")).isTrue();
        assertThat(get(site, "/c").kind()).as("no-cache: revalidated every time").isEqualTo(Kind.MUST_REVALIDATE);
    }

    @Test
    void keepsTheTargetedDirectivesThroughARevalidation() {
        store(site, "/r", 200, "x", "Telltale-Cache-Control", "max-age=10", "Cache-Control", "no-store", "ETag", "\"r\"");
        fixture.time.advance(Duration.ofSeconds(20));
        CacheFill revalidation = site.tryFill(get(site, "/r"));

        CacheResponse refreshed = revalidation.notModified(headers("ETag", "\"r\"")).serve();
        assertThat(refreshed.headers().get("Cache-Status")).isEqualTo("telltale; fwd=stale; fwd-status=304; stored; ttl=10");
        assertThat(refreshed.headers().contains("Telltale-Cache-Control")).isFalse();
        refreshed.release();
    }

    @Test
    void usesTheSitesOwnFieldNameAndRemovesWhatTheSiteSays() {
        SiteCache custom = fixture.cache.site("shop", new SiteCacheConfig(true, Duration.ZERO, Duration.ZERO,
                Duration.ofDays(1), Duration.ZERO, DataSize.ofMiB(1), null, List.of(), Duration.ZERO, Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(60), "Edge-Cache-Control", false, true));
        HttpHeaders origin = headers("Edge-Cache-Control", "max-age=30", "CDN-Cache-Control", "no-store",
                "Telltale-Cache-Control", "no-store");
        CacheFill fill = custom.tryFill(get(custom, "/e"));

        assertThat(fill.head(HttpResponseStatus.OK, origin)).isTrue();
        assertThat(origin.get("Edge-Cache-Control")).isEqualTo("max-age=30");
        assertThat(origin.contains("CDN-Cache-Control")).isFalse();
        assertThat(origin.get("Telltale-Cache-Control")).as("not on this site's list: passed through").isEqualTo("no-store");

        HttpHeaders passed = headers("Edge-Cache-Control", "max-age=30", "CDN-Cache-Control", "max-age=5");
        custom.withholdTargetedFields(passed);
        assertThat(passed.names()).containsExactly("Edge-Cache-Control");
    }
}
