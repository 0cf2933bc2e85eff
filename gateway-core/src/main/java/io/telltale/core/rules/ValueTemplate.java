package io.telltale.core.rules;

import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;

/**
 * A rule value split once into literal text and variables, so each request only concatenates.
 *
 * <p>{@link #render} checks each variable's contribution and reports the first one that makes the value
 * unsendable, which is what the failure names.
 */
final class ValueTemplate {
    /** The longest header value a rule may produce. */
    static final int MAX_LENGTH = 8 * 1024;

    private static final String HEADER_PREFIX = "request.header.";
    private static final List<String> NAMES = List.of("client.address", "request.host", "request.path", "request.id");

    private final Object[] parts;
    private final String constant;

    private ValueTemplate(Object[] parts) {
        this.parts = parts;
        this.constant = parts.length == 0 ? "" : parts.length == 1 && parts[0] instanceof String s ? s : null;
    }

    /** A variable: one of the fixed names, or a request header (then {@code header} is set). */
    record Variable(String name, AsciiString header) {
        String text() {
            return "${" + name + "}";
        }
    }

    /** What went wrong rendering a value: which variable, and why. */
    record Problem(String variable, String reason) {
    }

    /** Receives the rendered value or the problem. */
    interface Sink {
        void value(String value);

        void problem(Problem problem);
    }

    /** Parses a rule value; {@code field} names it in errors. */
    static ValueTemplate parse(String field, String value) {
        List<Object> parts = new ArrayList<>();
        int from = 0;
        while (from < value.length()) {
            int open = value.indexOf("${", from);
            if (open < 0) {
                parts.add(literal(field, value.substring(from)));
                break;
            }
            if (open > from) {
                parts.add(literal(field, value.substring(from, open)));
            }
            int close = value.indexOf('}', open + 2);
            if (close < 0) {
                throw new IllegalArgumentException(field + ": " + value + " (expected: a closing } after ${ at " + open + ")");
            }
            parts.add(variable(field, value.substring(open + 2, close)));
            from = close + 1;
        }
        int literalLength = parts.stream().filter(String.class::isInstance).mapToInt(p -> ((String) p).length()).sum();
        if (literalLength > MAX_LENGTH) {
            throw new IllegalArgumentException(field + ": " + literalLength + " characters (expected: at most " + MAX_LENGTH + ")");
        }
        return new ValueTemplate(parts.toArray());
    }

    /** Renders the value for a request into the sink. */
    void render(RuleContext ctx, Sink sink) {
        if (constant != null) {
            sink.value(constant);
            return;
        }
        StringBuilder out = new StringBuilder(64);
        for (Object part : parts) {
            if (part instanceof String s) {
                out.append(s);
                continue;
            }
            Variable v = (Variable) part;
            String value = lookup(v, ctx);
            String reason = invalidReason(value);
            if (reason != null) {
                sink.problem(new Problem(v.text(), reason));
                return;
            }
            out.append(value);
            if (out.length() > MAX_LENGTH) {
                sink.problem(new Problem(v.text(), "the value grew to more than " + MAX_LENGTH + " characters"));
                return;
            }
        }
        sink.value(out.toString());
    }

    private static String lookup(Variable v, RuleContext ctx) {
        if (v.header() != null) {
            String value = ctx.requestHeaders() == null ? null : ctx.requestHeaders().get(v.header());
            return value == null ? "" : value;
        }
        String value = switch (v.name()) {
            case "client.address" -> ctx.clientAddress();
            case "request.host" -> ctx.host();
            case "request.path" -> ctx.path();
            default -> ctx.requestId();
        };
        return value == null ? "" : value;
    }

    /** Returns why text cannot be in a header value (RFC 9110 field-value), or null when it can. */
    static String invalidReason(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return String.format("it contains the control character 0x%02x", (int) c);
            }
            if (c > 0xff) {
                return String.format("it contains the character U+%04X, which a header cannot carry", (int) c);
            }
        }
        return null;
    }

    private static String literal(String field, String text) {
        String reason = invalidReason(text);
        if (reason != null) {
            throw new IllegalArgumentException(field + ": " + reason + " (expected: printable text)");
        }
        return text;
    }

    private static Variable variable(String field, String name) {
        if (NAMES.contains(name)) {
            return new Variable(name, null);
        }
        if (name.startsWith(HEADER_PREFIX) && name.length() > HEADER_PREFIX.length()) {
            String header = name.substring(HEADER_PREFIX.length());
            EdgeRuleEngine.checkHeaderName(field, header);
            return new Variable(name, AsciiString.cached(header.toLowerCase(java.util.Locale.ROOT)));
        }
        throw new IllegalArgumentException(field + ": ${" + name + "} (expected: ${client.address}, ${request.host}, "
                + "${request.path}, ${request.id} or ${request.header.NAME})");
    }
}
