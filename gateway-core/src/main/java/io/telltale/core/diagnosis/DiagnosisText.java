package io.telltale.core.diagnosis;

import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link DiagnosisReport} for a terminal: a step table, the verdict, then each step in detail, in plain ASCII. */
public final class DiagnosisText {
    private static final String INDENT = "    ";

    private DiagnosisText() {
    }

    /** Returns the report as text lines ending in a newline. */
    public static String render(DiagnosisReport report) {
        StringBuilder out = new StringBuilder(2048);
        out.append("telltale diagnose ").append(ascii(report.target().url())).append('\n');
        out.append("  sni ").append(report.sni())
                .append(", resolvers ").append(report.resolvers().isEmpty() ? "none" : String.join(" ", report.resolvers()))
                .append(", started ").append(report.startedAt())
                .append(", took ").append(report.millis()).append(" ms\n\n");
        for (DiagnosisStep s : report.steps()) {
            out.append(String.format(Locale.ROOT, "  %-5s %-8s %8s  %s%n", s.name().toUpperCase(Locale.ROOT),
                    s.status().label(), s.status() == StepStatus.SKIPPED ? "" : s.millis() + " ms",
                    ascii(s.failure() == null ? s.summary() : s.code().code() + ": " + s.summary())));
        }
        out.append("\nverdict: ").append(ascii(report.verdictLine())).append('\n');
        for (DiagnosisStep s : report.steps()) {
            if (s.status() == StepStatus.SKIPPED && s.evidence().isEmpty()) {
                continue;
            }
            out.append("\n== ").append(s.name().toUpperCase(Locale.ROOT)).append(": ").append(s.status().label());
            if (s.status() != StepStatus.SKIPPED) {
                out.append(" (").append(s.millis()).append(" ms)");
            }
            out.append('\n').append("  ").append(ascii(s.summary())).append('\n');
            if (s.failure() != null) {
                failure(out, s.failure());
            }
            if (!s.evidence().isEmpty()) {
                out.append("  evidence:\n");
                entries(out, INDENT, s.evidence().facts());
            }
            if (s.failure() != null && !s.failure().remediation().isEmpty()) {
                out.append("  fix:\n");
                s.failure().remediation().forEach(r -> out.append(INDENT).append("- ").append(ascii(r)).append('\n'));
            }
            if (!s.commands().isEmpty()) {
                out.append("  repeat:\n");
                s.commands().forEach(c -> out.append(INDENT).append(ascii(c)).append('\n'));
            }
        }
        return out.toString();
    }

    private static void failure(StringBuilder out, Failure f) {
        FailureCode c = f.code();
        out.append("  code: ").append(c.code()).append(" (status ").append(c.status())
                .append(c.edgeNumber() == null ? "" : ", edge error " + c.edgeNumber())
                .append(", Proxy-Status ").append(f.proxyStatusError());
        f.proxyStatusParams().forEach((k, v) -> {
            if (!k.equals("details")) {
                out.append("; ").append(k).append('=').append(ascii(String.valueOf(v)));
            }
        });
        out.append(")\n  title: ").append(c.title()).append('\n');
    }

    private static void entries(StringBuilder out, String indent, Map<?, ?> facts) {
        facts.forEach((k, v) -> fact(out, indent, String.valueOf(k), v));
    }

    private static void fact(StringBuilder out, String indent, String key, Object value) {
        if (value instanceof Map<?, ?> map) {
            out.append(indent).append(key).append(":\n");
            entries(out, indent + "  ", map);
        } else if (value instanceof List<?> list && list.stream().anyMatch(v -> v instanceof Map<?, ?> || v instanceof List<?>)) {
            out.append(indent).append(key).append(":\n");
            for (Object item : list) {
                if (item instanceof Map<?, ?> map) {
                    StringBuilder one = new StringBuilder();
                    entries(one, indent + INDENT, map);
                    out.append(indent).append("  - ").append(one, indent.length() + INDENT.length(), one.length());
                } else {
                    fact(out, indent + "  ", "-", item);
                }
            }
        } else if (value instanceof List<?> list) {
            out.append(indent).append(key).append(": ").append(list.isEmpty() ? "none"
                    : ascii(String.join(", ", list.stream().map(String::valueOf).toList()))).append('\n');
        } else {
            out.append(indent).append(key).append(": ").append(ascii(String.valueOf(value))).append('\n');
        }
    }

    /** Returns the text with anything outside printable ASCII written as {@code \\uXXXX}, so a terminal shows it as is. */
    static String ascii(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean plain = c >= 0x20 && c < 0x7f;
            if (!plain && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (plain) {
                    out.append(c);
                } else {
                    out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
