package io.telltale.core.cache;

import static io.telltale.core.cache.CacheFixture.headers;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyRecipeTest {
    @Test
    void lowerCasesTheHostDropsThePortAndSortsTheQuery() {
        KeyRecipe recipe = new KeyRecipe("shop", null, List.of());
        CacheKey key = recipe.keyOf("https", "Shop.Example:8443", "/a/b?z=1&a=2&m&#frag", headers());

        assertThat(key.host()).isEqualTo("shop.example");
        assertThat(key.path()).isEqualTo("/a/b");
        assertThat(key.query()).isEqualTo("a=2&m&z=1");
        assertThat(key).isEqualTo(recipe.keyOf("https", "shop.example", "/a/b?m&a=2&z=1", headers()));
        assertThat(key).isNotEqualTo(recipe.keyOf("http", "shop.example", "/a/b?m&a=2&z=1", headers()));
    }

    @Test
    void keepsOnlyTheListedQueryParametersOrNone() {
        KeyRecipe some = new KeyRecipe("shop", List.of("page", "size"), List.of());
        assertThat(some.keyOf("https", "h", "/l?utm=x&size=10&page=2", headers()).query()).isEqualTo("page=2&size=10");
        KeyRecipe none = new KeyRecipe("shop", List.of(), List.of());
        assertThat(none.keyOf("https", "h", "/l?page=2", headers()).query()).isEmpty();
    }

    @Test
    void readsAbsoluteFormTargets() {
        KeyRecipe recipe = new KeyRecipe("shop", null, List.of());
        CacheKey key = recipe.keyOf("https", "h", "https://h/x?b=1", headers());

        assertThat(key.path()).isEqualTo("/x");
        assertThat(key.query()).isEqualTo("b=1");
        assertThat(recipe.keyOf("https", "h", "https://h", headers()).path()).isEqualTo("/");
    }

    @Test
    void includesTheKeyHeadersAndTellsAnAbsentHeaderFromAnEmptyOne() {
        KeyRecipe recipe = new KeyRecipe("shop", null, List.of("X-Device"));
        CacheKey mobile = recipe.keyOf("https", "h", "/", headers("x-device", "mobile"));
        CacheKey desktop = recipe.keyOf("https", "h", "/", headers("X-Device", "desktop"));
        CacheKey absent = recipe.keyOf("https", "h", "/", headers());
        CacheKey empty = recipe.keyOf("https", "h", "/", headers("X-Device", ""));

        assertThat(mobile).isNotEqualTo(desktop).isNotEqualTo(absent);
        assertThat(absent).isNotEqualTo(empty);
        assertThat(mobile).isEqualTo(recipe.keyOf("https", "h", "/", headers("X-Device", "mobile")));
    }

    @Test
    void normalisesVaryValuesByTrimmingListElements() {
        var names = VaryNames.of(headers("Vary", "Accept-Encoding, Accept-Language", "Vary", "accept-encoding"));

        assertThat(names).hasSize(2);
        assertThat(KeyRecipe.values(names, headers("Accept-Encoding", "gzip ,  br", "Accept-Language", "de")))
                .isEqualTo(KeyRecipe.values(names, headers("accept-encoding", "gzip,br", "accept-language", "de")));
    }

    @Test
    void foldsTheCaseOfLanguageTagsAndCodingsButNotOfOtherFields() {
        var names = VaryNames.of(headers("Vary", "Accept-Language, Accept-Encoding, X-Token"));

        assertThat(KeyRecipe.values(names, headers("Accept-Language", "eN, De", "Accept-Encoding", "GZIP", "X-Token", "a")))
                .isEqualTo(KeyRecipe.values(names, headers("Accept-Language", "en, de", "Accept-Encoding", "gzip", "X-Token", "a")));
        assertThat(KeyRecipe.values(names, headers("Accept-Language", "en", "X-Token", "A")))
                .isNotEqualTo(KeyRecipe.values(names, headers("Accept-Language", "en", "X-Token", "a")));
    }
}
