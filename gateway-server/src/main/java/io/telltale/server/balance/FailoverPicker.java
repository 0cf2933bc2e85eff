package io.telltale.server.balance;

/** The origins in the order they are listed, always. */
final class FailoverPicker implements OriginPicker {
    private final int[] order;

    FailoverPicker(int size) {
        order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
    }

    @Override
    public int[] order(String key) {
        // Shared and never written after construction: callers only read it.
        return order;
    }
}
