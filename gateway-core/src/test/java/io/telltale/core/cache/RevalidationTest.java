package io.telltale.core.cache;

import static io.telltale.core.cache.CacheFixture.bodyOf;
import static io.telltale.core.cache.CacheFixture.get;
import static io.telltale.core.cache.CacheFixture.headers;
import static io.telltale.core.cache.CacheFixture.store;
import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.core.cache.CacheLookup.Kind;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RevalidationTest {
    private final CacheFixture fixture = new CacheFixture();
    private final SiteCache site = fixture.site();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void refreshesTheStoredHeadersFromA304AndReportsARefreshHit() {
        store(site, "/a", 200, "body", "Cache-Control", "max-age=10", "ETag", "\"v1\"", "X-Version", "1",
                "Content-Type", "text/plain");
        fixture.time.advance(Duration.ofSeconds(30));
        CacheLookup stale = get(site, "/a");
        assertThat(stale.kind()).isEqualTo(Kind.MUST_REVALIDATE);
        assertThat(stale.prepareOriginRequest(headers()).get("If-None-Match")).isEqualTo("\"v1\"");

        CacheFill fill = site.tryFill(stale);
        CacheLookup refreshed = fill.notModified(headers("Cache-Control", "max-age=60", "ETag", "\"v1\"",
                "X-Version", "2", "Content-Length", "0", "Date", fixture.now()));

        CacheResponse response = refreshed.serve();
        assertThat(response.headers().get("X-Cache")).isEqualTo("RefreshHit from gateway");
        assertThat(response.headers().get("Cache-Status")).isEqualTo("telltale; fwd=stale; fwd-status=304; stored; ttl=60");
        assertThat(response.headers().get("X-Version")).isEqualTo("2");
        assertThat(response.headers().get("Content-Type")).isEqualTo("text/plain");
        assertThat(response.headers().get("Content-Length")).as("never taken from a 304").isEqualTo("4");
        assertThat(bodyOf(response)).isEqualTo("body");

        fixture.time.advance(Duration.ofSeconds(59));
        CacheLookup later = get(site, "/a");
        assertThat(later.kind()).isEqualTo(Kind.HIT);
        assertThat(bodyOf(later.serve())).isEqualTo("body");
        assertThat(fixture.cache.stats().refreshHits()).isEqualTo(1);
    }

    @Test
    void ignoresA304ForAnotherEntityTagSoTheLeaderFetchesInFull() {
        store(site, "/a", 200, "old", "Cache-Control", "max-age=1", "ETag", "\"v1\"");
        fixture.time.advance(Duration.ofSeconds(5));
        CacheFill fill = site.tryFill(get(site, "/a"));

        assertThat(fill.notModified(headers("ETag", "\"v2\""))).isNull();
        CacheFixture.fill(site, get(site, "/b"), 200, "unrelated", "Cache-Control", "max-age=60");
        assertThat(fill.head(io.netty.handler.codec.http.HttpResponseStatus.OK,
                headers("Cache-Control", "max-age=60", "ETag", "\"v2\""))).isTrue();
        var chunk = io.netty.buffer.Unpooled.copiedBuffer("new", java.nio.charset.StandardCharsets.UTF_8);
        fill.content(chunk);
        chunk.release();
        fill.complete();

        assertThat(bodyOf(get(site, "/a").serve())).isEqualTo("new");
    }

    @Test
    void answersAMatchingIfNoneMatchWith304AndTheValidatorFields() {
        store(site, "/a", 200, "body", "Cache-Control", "max-age=60", "ETag", "W/\"v1\"", "Content-Type", "text/plain");

        CacheResponse response = get(site, "/a", "If-None-Match", "\"v0\", \"v1\"").serve();
        assertThat(response.status().code()).isEqualTo(304);
        assertThat(response.headers().get("ETag")).isEqualTo("W/\"v1\"");
        assertThat(response.headers().get("Cache-Control")).isEqualTo("max-age=60");
        assertThat(response.headers().contains("Content-Type")).isFalse();
        assertThat(response.headers().get("X-Cache")).isEqualTo("Hit from gateway");
        assertThat(response.body().readableBytes()).isZero();
        response.release();

        CacheResponse other = get(site, "/a", "If-None-Match", "\"v2\"").serve();
        assertThat(other.status().code()).isEqualTo(200);
        assertThat(bodyOf(other)).isEqualTo("body");
        CacheResponse star = get(site, "/a", "If-None-Match", "*").serve();
        assertThat(star.status().code()).isEqualTo(304);
        star.release();
    }

    @Test
    void answersIfModifiedSinceFromLastModified() {
        long modified = fixture.time.millis() - 3600_000;
        store(site, "/a", 200, "body", "Cache-Control", "max-age=60", "Last-Modified", HttpDate.format(modified));

        CacheResponse same = get(site, "/a", "If-Modified-Since", HttpDate.format(modified)).serve();
        assertThat(same.status().code()).isEqualTo(304);
        same.release();
        CacheResponse older = get(site, "/a", "If-Modified-Since", HttpDate.format(modified - 1000)).serve();
        assertThat(older.status().code()).isEqualTo(200);
        older.release();
        CacheResponse ignored = get(site, "/a", "If-Modified-Since", HttpDate.format(modified),
                "If-None-Match", "\"other\"").serve();
        assertThat(ignored.status().code()).as("If-None-Match takes precedence").isEqualTo(200);
        ignored.release();
    }

    @Test
    void servesSingleByteRangesAsSlices() {
        store(site, "/r", 200, "0123456789", "Cache-Control", "max-age=60", "ETag", "\"r1\"");

        CacheResponse middle = get(site, "/r", "Range", "bytes=2-5").serve();
        assertThat(middle.status().code()).isEqualTo(206);
        assertThat(middle.headers().get("Content-Range")).isEqualTo("bytes 2-5/10");
        assertThat(middle.headers().get("Content-Length")).isEqualTo("4");
        assertThat(bodyOf(middle)).isEqualTo("2345");

        assertThat(bodyOf(get(site, "/r", "Range", "bytes=7-").serve())).isEqualTo("789");
        assertThat(bodyOf(get(site, "/r", "Range", "bytes=-3").serve())).isEqualTo("789");
        assertThat(bodyOf(get(site, "/r", "Range", "bytes=8-100").serve())).isEqualTo("89");
    }

    @Test
    void answersUnsatisfiableRangesWith416AndServesMultipleRangesInFull() {
        store(site, "/r", 200, "0123456789", "Cache-Control", "max-age=60", "ETag", "\"r1\"");

        CacheResponse beyond = get(site, "/r", "Range", "bytes=10-").serve();
        assertThat(beyond.status().code()).isEqualTo(416);
        assertThat(beyond.headers().get("Content-Range")).isEqualTo("bytes */10");
        beyond.release();

        CacheResponse several = get(site, "/r", "Range", "bytes=0-1,4-5").serve();
        assertThat(several.status().code()).isEqualTo(200);
        assertThat(bodyOf(several)).isEqualTo("0123456789");
        CacheResponse invalid = get(site, "/r", "Range", "lines=1-2").serve();
        assertThat(invalid.status().code()).isEqualTo(200);
        invalid.release();
    }

    @Test
    void appliesARangeOnlyWhenIfRangeStillMatches() {
        store(site, "/r", 200, "0123456789", "Cache-Control", "max-age=60", "ETag", "\"r1\"");

        CacheResponse matching = get(site, "/r", "Range", "bytes=0-0", "If-Range", "\"r1\"").serve();
        assertThat(matching.status().code()).isEqualTo(206);
        matching.release();
        CacheResponse changed = get(site, "/r", "Range", "bytes=0-0", "If-Range", "\"r0\"").serve();
        assertThat(changed.status().code()).isEqualTo(200);
        changed.release();
    }
}
