package io.telltale.server.balance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Weighted rendezvous (highest random weight) hashing: every origin scores the key, the highest score goes
 * first. An origin's score depends only on the key and the origin's own name, so when an origin joins or
 * leaves only the keys it wins or won move. The cluster uses it too, to give each cache key one owning node.
 */
public final class RendezvousPicker implements OriginPicker {
    private final long[] seeds;
    private final int[] weights;

    /** Creates a picker over origins known by stable names ({@code host:port}) with their weights. */
    public RendezvousPicker(List<String> names, int[] weights) {
        this.seeds = new long[names.size()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = fnv(names.get(i).getBytes(StandardCharsets.UTF_8));
        }
        this.weights = weights.clone();
    }

    @Override
    public int[] order(String key) {
        long k = fnv(key.getBytes(StandardCharsets.UTF_8));
        double[] scores = new double[seeds.length];
        Integer[] order = new Integer[seeds.length];
        for (int i = 0; i < seeds.length; i++) {
            scores[i] = score(k, i);
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /** Returns -weight / ln(u), u uniform in (0, 1) from the key and origin: the weighted rendezvous score. */
    private double score(long key, int origin) {
        long h = mix(key ^ seeds[origin]);
        double u = ((h >>> 11) + 0.5) * 0x1.0p-53;
        return -weights[origin] / Math.log(u);
    }

    private static long fnv(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** The SplitMix64 finaliser: spreads every input bit over the whole result. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
