package io.telltale.core.cache;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

/**
 * The primary entry of a URI whose response varies: the request header names its {@code Vary} lists
 * and the variants stored under it, each keyed by the normalised values of those headers.
 */
final class VaryIndex implements Slot {
    private final AsciiString[] names;
    private final Set<String> variants;
    private final long keepUntil;

    VaryIndex(AsciiString[] names, Set<String> variants, long keepUntil) {
        this.names = names;
        this.variants = variants;
        this.keepUntil = keepUntil;
    }

    /** Adds a variant to the Vary index of its primary key in a tier, replacing an index for other header names. */
    static void addVariant(ConcurrentMap<CacheKey, Slot> tier, CacheKey primary, VaryIndex index, String variant) {
        tier.compute(primary, (key, old) -> {
            if (old instanceof VaryIndex existing && existing.sameNames(index.names())) {
                existing.variants().add(variant);
                return existing.keepUntil() >= index.keepUntil() ? existing
                        : new VaryIndex(existing.names(), existing.variants(), index.keepUntil());
            }
            index.variants().add(variant);
            return index;
        });
    }

    /** Returns the lower-case header names the variants differ by. */
    AsciiString[] names() {
        return names;
    }

    /** Returns the variants known to be stored (some may have expired). */
    Set<String> variants() {
        return variants;
    }

    /** Returns whether the index is for exactly these header names. */
    boolean sameNames(AsciiString[] other) {
        return Arrays.equals(names, other);
    }

    /** Returns the variant a request selects. */
    String variantOf(HttpHeaders requestHeaders) {
        return KeyRecipe.values(names, requestHeaders);
    }

    @Override
    public long keepUntil() {
        return keepUntil;
    }

    @Override
    public int weight() {
        return 256;
    }
}
