package io.telltale.core.failure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The evidence facts that have no picture of their own, as a list of labelled values; a list of records
 * becomes a small table. Java exception names and messages are left out: they are for the journal and
 * problem+json, not for people.
 */
final class EvidenceFacts {
    /** Facts drawn elsewhere on the page, or meant for machines only. */
    private static final Set<String> NOT_LISTED = Set.of("chain", "delegation", "exception", "message", "jsseError");
    private static final Pattern JAVA_NAME = Pattern.compile(
            "\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*\\b|\\b[A-Z][A-Za-z0-9]*Exception\\b");
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("origin.host", "Origin host"), Map.entry("origin.port", "Origin port"),
            Map.entry("origin.address", "Origin address"), Map.entry("sniSent", "SNI sent"),
            Map.entry("errno", "Error number"), Map.entry("answeredInMs", "Answered in (ms)"),
            Map.entry("cnameChain", "CNAME chain"), Map.entry("soa", "SOA"),
            Map.entry("negativeTtlSeconds", "Negative TTL (s)"), Map.entry("notAfter", "Not valid after"),
            Map.entry("notBefore", "Not valid before"), Map.entry("now", "Gateway clock"));

    private EvidenceFacts() {
    }

    /** Returns whether a value names a Java class or exception, which people are not shown. */
    static boolean javaName(String value) {
        return JAVA_NAME.matcher(value).find();
    }

    /** Writes the facts not drawn elsewhere; the site comes first when known. */
    static void write(StringBuilder out, ErrorView v) {
        StringBuilder items = new StringBuilder(512);
        if (v.site() != null) {
            item(items, "Site", Html.esc(v.site()));
        }
        for (Map.Entry<String, Object> e : v.evidence().entrySet()) {
            if (!NOT_LISTED.contains(e.getKey())) {
                String html = value(e.getValue());
                if (html != null) {
                    item(items, label(e.getKey()), html);
                }
            }
        }
        if (!items.isEmpty()) {
            out.append("<h3>Facts</h3><dl class=\"facts\">").append(items).append("</dl>");
        }
    }

    private static void item(StringBuilder out, String label, String html) {
        out.append("<dt>").append(Html.esc(label)).append("</dt><dd>").append(html).append("</dd>");
    }

    /** Returns a value as HTML, or null when there is nothing a person should see. */
    private static String value(Object value) {
        if (value instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        if (value instanceof List<?> list) {
            if (!list.isEmpty() && list.stream().allMatch(x -> x instanceof Map<?, ?>)) {
                return table(list);
            }
            List<String> parts = new ArrayList<>();
            for (Object x : list) {
                String s = value(x);
                if (s != null) {
                    parts.add(s);
                }
            }
            return parts.isEmpty() && !list.isEmpty() ? null : String.join(", ", parts);
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("<dl class=\"inner\">");
            map.forEach((k, x) -> {
                String s = value(x);
                if (s != null) {
                    item(out, label(String.valueOf(k)), s);
                }
            });
            return out.append("</dl>").toString();
        }
        String s = String.valueOf(value);
        return javaName(s) ? null : Html.esc(s);
    }

    private static String table(List<?> rows) {
        Set<String> columns = new LinkedHashSet<>();
        for (Object row : rows) {
            ((Map<?, ?>) row).keySet().forEach(k -> columns.add(String.valueOf(k)));
        }
        StringBuilder out = new StringBuilder("<table class=\"grid\"><thead><tr>");
        for (String c : columns) {
            out.append("<th>").append(Html.esc(label(c))).append("</th>");
        }
        out.append("</tr></thead><tbody>");
        for (Object row : rows) {
            out.append("<tr>");
            for (String c : columns) {
                String s = value(((Map<?, ?>) row).get(c));
                out.append("<td data-label=\"").append(Html.esc(label(c))).append("\">").append(s == null ? "" : s).append("</td>");
            }
            out.append("</tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    /** Returns a fact's name as words: {@code answeredInMs} reads "Answered in (ms)", {@code infoCode} "Info code". */
    static String label(String key) {
        String known = LABELS.get(key);
        if (known != null) {
            return known;
        }
        StringBuilder out = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '.' || c == '_') {
                out.append(' ');
            } else if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(key.charAt(i - 1))) {
                out.append(' ').append(Character.toLowerCase(c));
            } else {
                out.append(i == 0 ? Character.toUpperCase(c) : c);
            }
        }
        return out.toString();
    }
}
