package io.telltale.server.edge;

/** The character classes of RFC 9110 §5.6 that the edge decoder's checks share. */
final class Tokens {
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[Character.toUpperCase(c)] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private Tokens() {
    }

    /** Returns whether the byte may appear in a token. */
    static boolean isTchar(byte b) {
        return b >= 0 && TCHAR[b];
    }

    /** Returns whether the byte is optional whitespace: SP or HTAB. */
    static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }
}
