package io.telltale.server.balance;

/**
 * Smooth weighted round robin, as nginx does it: each pick adds every origin's weight to its credit and takes
 * the origin with the most, which then pays the total back; weights 5, 1, 1 give a, a, b, a, c, a, a.
 */
final class RoundRobinPicker implements OriginPicker {
    private final int[] weights;
    private final long[] credit;
    private final int total;

    RoundRobinPicker(int[] weights) {
        this.weights = weights.clone();
        this.credit = new long[weights.length];
        int sum = 0;
        for (int w : weights) {
            sum += w;
        }
        this.total = sum;
    }

    @Override
    public int[] order(String key) {
        int first = next();
        int[] order = new int[weights.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (first + i) % order.length;
        }
        return order;
    }

    private synchronized int next() {
        int best = 0;
        for (int i = 0; i < weights.length; i++) {
            credit[i] += weights[i];
            if (credit[i] > credit[best]) {
                best = i;
            }
        }
        credit[best] -= total;
        return best;
    }
}
