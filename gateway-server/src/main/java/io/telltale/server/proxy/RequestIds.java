package io.telltale.server.proxy;

import java.util.concurrent.ThreadLocalRandom;

/** Makes request ids: 16 lower-case hex digits from a thread-local random source, with no lock. */
public final class RequestIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    /** Returns a new request id. */
    public static String next() {
        long bits = ThreadLocalRandom.current().nextLong();
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (bits & 0xf)];
            bits >>>= 4;
        }
        return new String(out);
    }
}
