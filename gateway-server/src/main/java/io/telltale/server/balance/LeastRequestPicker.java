package io.telltale.server.balance;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The power of two choices, as Envoy's least-request balancer: two origins drawn at random by weight, and
 * the one with fewer requests in flight for its weight goes first; the others follow in listed order.
 */
final class LeastRequestPicker implements OriginPicker {
    private final int[] weights;
    private final int total;
    private final AtomicIntegerArray active;

    LeastRequestPicker(int[] weights, AtomicIntegerArray active) {
        this.weights = weights.clone();
        this.active = active;
        int sum = 0;
        for (int w : weights) {
            sum += w;
        }
        this.total = sum;
    }

    @Override
    public int[] order(String key) {
        int n = weights.length;
        int first = 0;
        if (n > 1) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int a = draw(random);
            int b = draw(random);
            for (int tries = 0; b == a && tries < 4; tries++) {
                b = draw(random);
            }
            // Fewer in flight per unit of weight wins: a/wa < b/wb without dividing.
            first = (long) active.get(b) * weights[a] < (long) active.get(a) * weights[b] ? b : a;
        }
        int[] order = new int[n];
        order[0] = first;
        for (int i = 0, at = 1; i < n; i++) {
            if (i != first) {
                order[at++] = i;
            }
        }
        return order;
    }

    private int draw(ThreadLocalRandom random) {
        int point = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            point -= weights[i];
            if (point < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
