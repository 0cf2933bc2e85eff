package io.telltale.server.proxy;

import java.util.ArrayList;
import java.util.List;

/** Reads the members of a Proxy-Status field (RFC 9209): a list of a name and its parameters, strings quoted. */
final class ProxyStatusMembers {
    private ProxyStatusMembers() {
    }

    /** Returns the members of one field value, split at the commas outside quoted strings. */
    static List<String> split(String value) {
        List<String> members = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                add(members, value.substring(start, i));
                start = i + 1;
            }
        }
        add(members, value.substring(start));
        return members;
    }

    private static void add(List<String> members, String member) {
        String trimmed = member.strip();
        if (!trimmed.isEmpty()) {
            members.add(trimmed);
        }
    }

    /** Returns a member's name: the intermediary it stands for. */
    static String name(String member) {
        int semicolon = member.indexOf(';');
        return (semicolon < 0 ? member : member.substring(0, semicolon)).strip();
    }

    /** Returns whether a member names an error. */
    static boolean hasError(String member) {
        return error(member) != null;
    }

    /** Returns the member with its name and error type only: next hops, details and the rest stay behind. */
    static String errorOnly(String member) {
        String error = error(member);
        return error == null ? name(member) : name(member) + "; error=" + error;
    }

    private static String error(String member) {
        for (String parameter : member.split(";")) {
            String trimmed = parameter.strip();
            if (trimmed.startsWith("error=")) {
                String type = trimmed.substring("error=".length());
                // An error type is a token: anything else is not relayed.
                return type.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_') && !type.isEmpty()
                        ? type : null;
            }
        }
        return null;
    }
}
