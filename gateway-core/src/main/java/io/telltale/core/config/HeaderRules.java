package io.telltale.core.config;

import io.telltale.core.http.HopByHop;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Which headers edge rules may name and change, and which variables their values may use. */
public final class HeaderRules {
    /** Headers that frame or route the message; changing them would break the exchange or hide a loop. */
    public static final List<String> READ_ONLY = readOnlyNames();

    /** Variables a rule value may use, besides {@code ${request.header.NAME}}. */
    public static final List<String> VARIABLES = List.of("client.address", "request.host", "request.path",
            "request.id");

    /** The prefix of the variable that reads a request header. */
    public static final String HEADER_VARIABLE_PREFIX = "request.header.";

    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private HeaderRules() {
    }

    /** Returns whether this is an HTTP token (RFC 9110 section 5.6.2), which every header name is. */
    public static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && TOKEN_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Returns the read-only header this name denotes, in its usual spelling, or null when rules may change it. */
    public static String readOnly(String header) {
        for (String name : READ_ONLY) {
            if (name.equalsIgnoreCase(header)) {
                return name;
            }
        }
        return null;
    }

    private static List<String> readOnlyNames() {
        List<String> names = new ArrayList<>(List.of("Content-Length", "Host", "Via"));
        names.addAll(HopByHop.FIELDS);
        return List.copyOf(names);
    }

    /** Returns whether {@code ${name}} is a variable a rule value may use. */
    public static boolean isVariable(String name) {
        return VARIABLES.contains(name) || (name.toLowerCase(Locale.ROOT).startsWith(HEADER_VARIABLE_PREFIX)
                && isToken(name.substring(HEADER_VARIABLE_PREFIX.length())));
    }
}
