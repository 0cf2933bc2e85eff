package io.telltale.core.cache;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Dictionary Structured Field (RFC 8941 §3.2) parsed strictly by the algorithm of §4.2: any syntax error makes
 * the whole field invalid, which is what RFC 9213 §2.1 requires of targeted cache-control fields.
 *
 * <p>Member values are {@link Long} (Integer), {@link String} (String), {@link Token}, {@link Boolean}, or
 * {@link #OTHER} for the types no cache directive uses (Decimal, Byte Sequence, Inner List). Parameters are
 * checked and dropped: RFC 9213 §2.1 says they are ignored.
 */
final class StructuredDictionary {
    /** A Token value (RFC 8941 §3.3.4), told apart from a String. */
    record Token(String text) {
    }

    /** The value of a member whose type the cache directives do not use. */
    static final Object OTHER = new Object();

    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~:/";

    private final String input;
    private int pos;

    private StructuredDictionary(String input) {
        this.input = input;
    }

    /** Returns the members in order (a repeated key keeps its last value), or null when the field is invalid or empty. */
    static Map<String, Object> parse(String field) {
        StructuredDictionary parser = new StructuredDictionary(field);
        parser.skipSpaces();
        Map<String, Object> members = parser.dictionary();
        parser.skipSpaces();
        return members == null || members.isEmpty() || parser.pos != field.length() ? null : members;
    }

    private Map<String, Object> dictionary() {
        Map<String, Object> members = new LinkedHashMap<>();
        while (pos < input.length()) {
            String key = key();
            if (key == null) {
                return null;
            }
            Object value;
            if (peek() == '=') {
                pos++;
                value = peek() == '(' ? innerList() : item();
            } else {
                value = parameters() ? Boolean.TRUE : null;
            }
            if (value == null) {
                return null;
            }
            members.put(key, value);
            skipOptionalWhitespace();
            if (pos == input.length()) {
                return members;
            }
            if (input.charAt(pos++) != ',') {
                return null;
            }
            skipOptionalWhitespace();
            if (pos == input.length()) {
                // A trailing comma.
                return null;
            }
        }
        return members;
    }

    private Object innerList() {
        pos++;
        while (pos < input.length()) {
            skipSpaces();
            if (peek() == ')') {
                pos++;
                return parameters() ? OTHER : null;
            }
            if (item() == null) {
                return null;
            }
            char next = peek();
            if (next != ' ' && next != ')') {
                return null;
            }
        }
        return null;
    }

    private Object item() {
        Object value = bareItem();
        return value != null && parameters() ? value : null;
    }

    private boolean parameters() {
        while (peek() == ';') {
            pos++;
            skipSpaces();
            if (key() == null) {
                return false;
            }
            if (peek() == '=') {
                pos++;
                if (bareItem() == null) {
                    return false;
                }
            }
        }
        return true;
    }

    private String key() {
        int start = pos;
        char first = peek();
        if (!(first >= 'a' && first <= 'z') && first != '*') {
            return null;
        }
        pos++;
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && "_-.*".indexOf(c) < 0) {
                break;
            }
            pos++;
        }
        return input.substring(start, pos);
    }

    private Object bareItem() {
        char c = peek();
        if (c == '-' || c >= '0' && c <= '9') {
            return number();
        }
        if (c == '"') {
            return string();
        }
        if (c == '*' || isAlpha(c)) {
            return token();
        }
        if (c == ':') {
            return byteSequence();
        }
        if (c == '?') {
            return bool();
        }
        return null;
    }

    private Object number() {
        boolean negative = peek() == '-';
        if (negative) {
            pos++;
        }
        int start = pos;
        long value = 0;
        while (pos < input.length() && input.charAt(pos) >= '0' && input.charAt(pos) <= '9') {
            value = value * 10 + (input.charAt(pos++) - '0');
            if (pos - start > 15) {
                return null;
            }
        }
        int integerDigits = pos - start;
        if (integerDigits == 0) {
            return null;
        }
        if (peek() != '.') {
            return negative ? -value : value;
        }
        pos++;
        int fractionStart = pos;
        while (pos < input.length() && input.charAt(pos) >= '0' && input.charAt(pos) <= '9') {
            pos++;
        }
        int fractionDigits = pos - fractionStart;
        return integerDigits <= 12 && fractionDigits >= 1 && fractionDigits <= 3 ? OTHER : null;
    }

    private String string() {
        StringBuilder out = new StringBuilder();
        pos++;
        while (pos < input.length()) {
            char c = input.charAt(pos++);
            if (c == '\\') {
                char escaped = peek();
                if (escaped != '"' && escaped != '\\') {
                    return null;
                }
                out.append(escaped);
                pos++;
            } else if (c == '"') {
                return out.toString();
            } else if (c < 0x20 || c > 0x7e) {
                return null;
            } else {
                out.append(c);
            }
        }
        return null;
    }

    private Token token() {
        int start = pos++;
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && TOKEN_SYMBOLS.indexOf(c) < 0) {
                break;
            }
            pos++;
        }
        return new Token(input.substring(start, pos));
    }

    private Object byteSequence() {
        pos++;
        while (pos < input.length()) {
            char c = input.charAt(pos++);
            if (c == ':') {
                return OTHER;
            }
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '/' && c != '=') {
                return null;
            }
        }
        return null;
    }

    private Boolean bool() {
        pos++;
        char c = peek();
        if (c != '0' && c != '1') {
            return null;
        }
        pos++;
        return c == '1';
    }

    private char peek() {
        return pos < input.length() ? input.charAt(pos) : '\0';
    }

    private void skipSpaces() {
        while (peek() == ' ') {
            pos++;
        }
    }

    private void skipOptionalWhitespace() {
        while (peek() == ' ' || peek() == '\t') {
            pos++;
        }
    }

    private static boolean isAlpha(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }
}
