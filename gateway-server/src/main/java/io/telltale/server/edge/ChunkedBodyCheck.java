package io.telltale.server.edge;

import io.netty.buffer.ByteBuf;

/**
 * Follows the bytes of a chunked request body alongside Netty's decoder and checks each chunk line's
 * extensions against RFC 9112 §7.1.1, which Netty reads too leniently ({@code 0;a b} passes as the name
 * {@code "a b"}): {@code chunk-size *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] )}.
 *
 * <p>It only follows the framing that Netty enforces (sizes, CR LF after the data, the trailer section); it
 * skips chunk data without reading it.
 */
final class ChunkedBodyCheck {
    private enum State {
        SIZE, BETWEEN, BEFORE_NAME, NAME, AFTER_NAME, BEFORE_VALUE, TOKEN_VALUE, QUOTED, QUOTED_ESCAPE,
        LINE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER_LINE, TRAILER_END_LF, DONE, BROKEN
    }

    private State state = State.SIZE;
    private int digits;
    private long size;
    private boolean overflow;

    /** Starts over at the first chunk line of the next chunked body. */
    void reset() {
        state = State.SIZE;
        digits = 0;
        size = 0;
        overflow = false;
    }

    /** Follows the bytes from {@code from} to {@code to}; returns false once the body broke the grammar. */
    boolean follow(ByteBuf in, int from, int to) {
        int i = from;
        while (i < to && state != State.DONE && state != State.BROKEN) {
            if (state == State.DATA) {
                long skip = Math.min(size, to - i);
                size -= skip;
                i += (int) skip;
                if (size == 0) {
                    state = State.DATA_CR;
                }
                continue;
            }
            accept(in.getByte(i++));
        }
        return state != State.BROKEN;
    }

    private void accept(byte b) {
        state = switch (state) {
            case SIZE -> size(b);
            case BETWEEN -> Tokens.isWhitespace(b) ? State.BETWEEN : b == ';' ? State.BEFORE_NAME : lineEnd(b);
            case BEFORE_NAME -> Tokens.isWhitespace(b) ? State.BEFORE_NAME
                    : Tokens.isTchar(b) ? State.NAME : State.BROKEN;
            case NAME -> Tokens.isTchar(b) ? State.NAME : afterName(b);
            case AFTER_NAME -> afterName(b);
            case BEFORE_VALUE -> Tokens.isWhitespace(b) ? State.BEFORE_VALUE
                    : b == '"' ? State.QUOTED : Tokens.isTchar(b) ? State.TOKEN_VALUE : State.BROKEN;
            case TOKEN_VALUE -> Tokens.isTchar(b) ? State.TOKEN_VALUE : afterValue(b);
            case QUOTED -> b == '"' ? State.BETWEEN : b == '\\' ? State.QUOTED_ESCAPE
                    : isQdtext(b) ? State.QUOTED : State.BROKEN;
            case QUOTED_ESCAPE -> isQdtext(b) || b == '"' || b == '\\' ? State.QUOTED : State.BROKEN;
            case LINE_LF -> b == '\n' ? endOfLine() : State.BROKEN;
            case DATA_CR -> b == '\r' ? State.DATA_LF : b == '\n' ? State.SIZE : State.BROKEN;
            case DATA_LF -> b == '\n' ? State.SIZE : State.BROKEN;
            case TRAILER_START -> b == '\r' ? State.TRAILER_END_LF : b == '\n' ? State.DONE : State.TRAILER_LINE;
            case TRAILER_LINE -> b == '\n' ? State.TRAILER_START : State.TRAILER_LINE;
            case TRAILER_END_LF -> b == '\n' ? State.DONE : State.BROKEN;
            default -> state;
        };
    }

    private State size(byte b) {
        int digit = Character.digit(b, 16);
        if (digit >= 0) {
            if (digits == 0) {
                size = 0;
            }
            digits++;
            overflow |= size > (Long.MAX_VALUE >> 4);
            size = (size << 4) | digit;
            return State.SIZE;
        }
        if (digits == 0) {
            return State.BROKEN;
        }
        return Tokens.isWhitespace(b) ? State.BETWEEN : b == ';' ? State.BEFORE_NAME : lineEnd(b);
    }

    private State afterName(byte b) {
        if (Tokens.isWhitespace(b)) {
            return State.AFTER_NAME;
        }
        if (b == '=') {
            return State.BEFORE_VALUE;
        }
        return b == ';' ? State.BEFORE_NAME : lineEnd(b);
    }

    private State afterValue(byte b) {
        if (Tokens.isWhitespace(b)) {
            return State.BETWEEN;
        }
        return b == ';' ? State.BEFORE_NAME : lineEnd(b);
    }

    private State lineEnd(byte b) {
        if (b == '\r') {
            return State.LINE_LF;
        }
        return b == '\n' ? endOfLine() : State.BROKEN;
    }

    private State endOfLine() {
        digits = 0;
        if (overflow) {
            // Netty refuses a size this large itself; there is nothing left to follow.
            return State.DONE;
        }
        return size == 0 ? State.TRAILER_START : State.DATA;
    }

    private static boolean isQdtext(byte b) {
        int c = b & 0xff;
        return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) || c >= 0x80;
    }
}
