package io.telltale.core.failure;

import java.util.List;
import java.util.Map;

/** Writes error views and catalogue entries as plain text, for curl and {@code telltale explain}. */
final class ErrorPages {
    private ErrorPages() {
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
}
