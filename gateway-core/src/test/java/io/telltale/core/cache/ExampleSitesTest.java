package io.telltale.core.cache;

import static io.telltale.core.cache.CacheFixture.get;
import static io.telltale.core.cache.CacheFixture.store;
import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.core.cache.CacheLookup.Kind;
import io.telltale.core.config.ConfigLoader;
import io.telltale.core.config.SiteConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A user who copies config/gateway.example.yaml gets a cache that keeps the RFC 9111 rules. */
class ExampleSitesTest {
    private static final List<SiteConfig> SITES =
            ConfigLoader.load(Path.of("../config/gateway.example.yaml")).sites();

    private final CacheFixture fixture = new CacheFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void revalidatesAResponseThatCarriesNoFreshness() {
        for (SiteConfig config : SITES) {
            SiteCache site = fixture.cache.site(config.name(), config.cache());
            store(site, "/no-freshness", 200, "x", "ETag", "\"1\"");

            assertThat(get(site, "/no-freshness").kind()).as(config.name()).isEqualTo(Kind.MUST_REVALIDATE);
        }
    }

    @Test
    void servesAStaleCopyWhileTheOriginCannotBeReached() {
        for (SiteConfig config : SITES) {
            SiteCache site = fixture.cache.site(config.name(), config.cache());
            store(site, "/stale", 200, "x", "Cache-Control", "max-age=60");
            fixture.time.advance(Duration.ofMinutes(30));

            CacheResponse stale = get(site, "/stale").serveStaleOnError(0, "OriginConnectTimeout");
            assertThat(stale).as(config.name()).isNotNull();
            assertThat(stale.headers().get("Cache-Status")).contains("detail=OriginConnectTimeout");
            stale.release();
        }
    }
}
