package io.telltale.core.failure;

import java.util.List;
import java.util.Map;

/**
 * Writes error views and catalogue entries as self-contained HTML and as plain text.
 *
 * <p>Every value that did not come from this class is HTML-escaped: the Host, the evidence and even the
 * catalogue texts, so that no request data can inject markup.
 */
final class ErrorPages {
    private static final String STYLE = "body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#222;background:#f6f6f4}"
            + "main{max-width:52rem;margin:0 auto;padding:2rem 1rem}h1{font-size:1.6rem;margin:.2rem 0}"
            + ".code{color:#666;font-family:monospace}.strip{display:flex;align-items:center;gap:.5rem;flex-wrap:wrap;margin:1.5rem 0}"
            + ".hop{border:2px solid #999;border-radius:.5rem;padding:.5rem 1rem;background:#fff;text-align:center}"
            + ".hop.ok{border-color:#2a7d2a}.hop.failed{border-color:#b22}.steps{display:flex;gap:.25rem}"
            + ".step{font:12px monospace;padding:.2rem .4rem;border-radius:.3rem;background:#ddd}"
            + ".step.ok{background:#cfe8cf}.step.failed{background:#f3c4c4;font-weight:bold}.step.skipped{background:#eee;color:#888}"
            + ".step.not-reached{background:#eee;color:#aaa}section{background:#fff;border-radius:.5rem;padding:.5rem 1rem;margin:1rem 0}"
            + "pre,code{background:#f0f0f0;padding:.1rem .3rem;border-radius:.2rem;white-space:pre-wrap;word-break:break-all}"
            + "table{border-collapse:collapse}td{padding:.1rem .6rem;vertical-align:top;font-family:monospace}"
            + "footer{color:#666;font-size:.9rem}";

    private ErrorPages() {
    }

    /** Returns the HTML page for a failed request. */
    static String html(ErrorView v) {
        FailureCode c = v.code();
        StringBuilder out = new StringBuilder(4096);
        head(out, v.host() == null ? c.title() : v.host() + " | " + v.status() + ": " + c.title());
        out.append("<p class=\"code\">Error ").append(v.status()).append(" &middot; ").append(esc(c.code()));
        if (c.edgeNumber() != null) {
            out.append(" &middot; edge ").append(esc(c.edgeNumber()));
        }
        out.append("</p><h1>").append(esc(c.title())).append("</h1>");
        strip(out, v);
        out.append("<section><h2>What happened?</h2><p>").append(esc(v.detail())).append("</p></section>");
        out.append("<section><h2>What can I do?</h2><h3>If you are a visitor of this site</h3><p>")
                .append(esc(c.visitorAdvice())).append("</p>");
        if (v.trusted()) {
            out.append("<h3>If you are the owner of this site</h3><ul>");
            for (String step : v.remediation()) {
                out.append("<li>").append(esc(step)).append("</li>");
            }
            out.append("</ul>");
        }
        out.append("</section>");
        if (v.trusted() && !v.evidence().isEmpty()) {
            out.append("<section><h2>Evidence</h2><table>");
            if (v.site() != null) {
                row(out, "site", v.site());
            }
            for (Map.Entry<String, Object> e : v.evidence().entrySet()) {
                row(out, e.getKey(), String.valueOf(e.getValue()));
            }
            out.append("</table></section>");
        }
        if (!v.attempts().isEmpty()) {
            out.append("<section><h2>Attempts</h2><ol>");
            for (AttemptRecord a : v.attempts()) {
                out.append("<li>").append(esc(a.describe())).append("</li>");
            }
            out.append("</ol></section>");
        }
        alsoKnownAs(out, c);
        out.append("<footer><p>Request id: <code>").append(esc(v.requestId())).append("</code> &middot; <a href=\"")
                .append(esc(v.typeUri())).append("\">About ").append(esc(c.code())).append("</a> &middot; ")
                .append(esc(v.gatewayName())).append("</p></footer></main></body></html>\n");
        return out.toString();
    }

    /** Returns the plain-text body for a failed request. */
    static String text(ErrorView v) {
        FailureCode c = v.code();
        StringBuilder out = new StringBuilder(1024);
        out.append(v.status()).append(' ').append(c.code());
        if (c.edgeNumber() != null) {
            out.append(" (edge ").append(c.edgeNumber()).append(')');
        }
        out.append(": ").append(c.title()).append("\n\nWhat happened: ").append(v.detail())
                .append("\nWhat you can do: ").append(c.visitorAdvice()).append('\n');
        out.append("\nPath: You -> ").append(v.gatewayName()).append(" -> ").append(v.origin() == null ? "origin" : v.origin()).append('\n');
        for (HopStrip.Step s : v.steps()) {
            out.append("  ").append(s.name()).append(": ").append(s.state().label());
            if (s.millis() >= 0) {
                out.append(" (").append(s.millis()).append(" ms)");
            }
            out.append('\n');
        }
        if (v.trusted()) {
            if (!v.evidence().isEmpty()) {
                out.append("\nEvidence:\n");
                v.evidence().forEach((k, val) -> out.append("  ").append(k).append(": ").append(val).append('\n'));
            }
            list(out, "What the site owner can do:", v.remediation());
            if (!v.attempts().isEmpty()) {
                list(out, "Attempts, in order:", v.attempts().stream().map(AttemptRecord::describe).toList());
            }
        }
        out.append("\nAlso known as:\n");
        for (AlsoKnownAs a : c.alsoKnownAs()) {
            out.append("  ").append(a.vendor()).append(": ").append(a.name()).append('\n');
        }
        out.append("\nRequest id: ").append(v.requestId()).append('\n');
        return out.toString();
    }

    /** Returns the HTML catalogue page of one entry. */
    static String entryHtml(FailureCode c, String gatewayName) {
        StringBuilder out = new StringBuilder(4096);
        head(out, c.code() + " | " + c.title());
        out.append("<p class=\"code\">").append(esc(c.code())).append("</p><h1>").append(esc(c.title())).append("</h1><section><table>");
        row(out, "status", String.valueOf(c.status()));
        row(out, "edge error", c.edgeNumber() == null ? "-" : c.edgeNumber());
        row(out, "phase", c.phase().label());
        row(out, "Proxy-Status", c.proxyStatusError());
        out.append("</table></section><section><h2>What it means</h2><p>").append(esc(c.meaning()))
                .append("</p><h2>What a visitor can do</h2><p>").append(esc(c.visitorAdvice()))
                .append("</p><h2>What the owner can do</h2><ul>");
        for (String step : c.ownerAdvice()) {
            out.append("<li>").append(esc(step)).append("</li>");
        }
        out.append("</ul></section>");
        alsoKnownAs(out, c);
        out.append("<footer><p>").append(esc(gatewayName)).append("</p></footer></main></body></html>\n");
        return out.toString();
    }

    /** Returns the plain-text catalogue entry, as {@code telltale explain} prints it. */
    static String entryText(FailureCode c) {
        StringBuilder out = new StringBuilder(1024);
        out.append(c.code()).append(": ").append(c.title()).append('\n')
                .append("  status:       ").append(c.status()).append('\n')
                .append("  edge error:   ").append(c.edgeNumber() == null ? "-" : c.edgeNumber()).append('\n')
                .append("  phase:        ").append(c.phase().label()).append('\n')
                .append("  Proxy-Status: ").append(c.proxyStatusError()).append('\n')
                .append("\nWhat it means:\n  ").append(c.meaning()).append('\n')
                .append("\nWhat a visitor can do:\n  ").append(c.visitorAdvice()).append('\n');
        list(out, "What the owner can do:", c.ownerAdvice());
        out.append("\nAlso known as:\n");
        for (AlsoKnownAs a : c.alsoKnownAs()) {
            out.append("  ").append(a.vendor()).append(": ").append(a.name()).append('\n');
        }
        return out.toString();
    }

    private static void list(StringBuilder out, String heading, List<String> items) {
        out.append('\n').append(heading).append('\n');
        for (String item : items) {
            out.append("  - ").append(item).append('\n');
        }
    }

    private static void head(StringBuilder out, String title) {
        out.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>")
                .append(esc(title)).append("</title><style>").append(STYLE).append("</style></head><body><main>");
    }

    private static void strip(StringBuilder out, ErrorView v) {
        boolean gatewayFailed = v.steps().stream().noneMatch(s -> s.state() == HopStrip.State.FAILED);
        out.append("<div class=\"strip\"><div class=\"hop ok\">You<br><small>browser</small></div>&rarr;")
                .append("<div class=\"hop ").append(gatewayFailed ? "failed" : "ok").append("\">").append(esc(v.gatewayName()))
                .append("<br><small>gateway</small></div>&rarr;<div class=\"steps\">");
        for (HopStrip.Step s : v.steps()) {
            out.append("<span class=\"step ").append(s.state().label().replace(' ', '-')).append("\" title=\"")
                    .append(s.state().label()).append("\">").append(s.name()).append(' ').append(symbol(s.state()));
            if (s.millis() >= 0) {
                out.append(' ').append(s.millis()).append("ms");
            }
            out.append("</span>");
        }
        boolean originFailed = !gatewayFailed;
        out.append("</div>&rarr;<div class=\"hop").append(originFailed ? " failed" : "").append("\">")
                .append(v.origin() == null ? "origin" : esc(v.origin())).append("<br><small>origin</small></div></div>");
    }

    private static String symbol(HopStrip.State state) {
        return switch (state) {
            case OK -> "&#10003;";
            case FAILED -> "&#10007;";
            case SKIPPED -> "&ndash;";
            case NOT_REACHED -> "&middot;";
        };
    }

    private static void alsoKnownAs(StringBuilder out, FailureCode c) {
        out.append("<section><h2>Also known as</h2><table>");
        for (AlsoKnownAs a : c.alsoKnownAs()) {
            row(out, a.vendor(), a.name());
        }
        out.append("</table></section>");
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append("<tr><td>").append(esc(name)).append("</td><td>").append(esc(value)).append("</td></tr>");
    }

    /** Returns the text with the five HTML-significant characters escaped. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (r != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (r == null) {
                    out.append(c);
                } else {
                    out.append(r);
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
