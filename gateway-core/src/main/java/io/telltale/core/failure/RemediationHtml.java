package io.telltale.core.failure;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One remediation step as HTML: the prose as text, each command as a code block that selects whole on a
 * click, each {@code `name`} as inline code, so that no literal backtick reaches the page.
 */
final class RemediationHtml {
    private static final List<String> COMMANDS =
            List.of("dig", "openssl", "nc", "ss", "traceroute", "ip", "curl", "telltale", "date", "kubectl");
    /** A shorter command reads better inline, inside its sentence. */
    private static final int BLOCK_LENGTH = 20;
    private static final Pattern AND_NEXT = Pattern.compile(" and (?=(?:" + String.join("|", COMMANDS) + ") )");

    private RemediationHtml() {
    }

    /** Returns the step as HTML. */
    static String step(String text) {
        if (text.indexOf('`') >= 0) {
            return quoted(text);
        }
        int at = commandStart(text);
        if (at < 0) {
            return Html.esc(text);
        }
        StringBuilder out = new StringBuilder(text.length() + 64).append(Html.esc(text.substring(0, at)));
        String command = text.substring(at);
        String after = "";
        int then = command.indexOf(", then ");
        if (then >= 0) {
            after = command.substring(then + 2);
            command = command.substring(0, then);
        } else if (command.endsWith(".")) {
            command = command.substring(0, command.length() - 1);
        }
        for (String one : AND_NEXT.split(command)) {
            block(out, one);
        }
        return out.append(Html.esc(after)).toString();
    }

    /** Returns prose as HTML, each {@code `name`} as inline code: for meanings and advice, which hold no commands. */
    static String prose(String text) {
        String[] parts = text.split("`", -1);
        StringBuilder out = new StringBuilder(text.length() + 32);
        for (int i = 0; i < parts.length; i++) {
            if (i % 2 == 1 && i < parts.length - 1) {
                out.append("<code>").append(Html.esc(parts[i])).append("</code>");
            } else {
                out.append(Html.esc(i % 2 == 1 ? "`" + parts[i] : parts[i]));
            }
        }
        return out.toString();
    }

    private static String quoted(String text) {
        String[] parts = text.split("`", -1);
        StringBuilder out = new StringBuilder(text.length() + 64);
        boolean afterBlock = false;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean code = i % 2 == 1 && i < parts.length - 1;
            if (!code) {
                String prose = i % 2 == 1 ? "`" + part : part;
                if (!(afterBlock && prose.strip().equals("."))) {
                    out.append(Html.esc(prose));
                }
                afterBlock = false;
            } else if (isCommand(part) && part.length() >= BLOCK_LENGTH) {
                block(out, part);
                afterBlock = true;
            } else {
                out.append("<code>").append(Html.esc(part)).append("</code>");
                afterBlock = false;
            }
        }
        return out.toString();
    }

    private static void block(StringBuilder out, String command) {
        out.append("<pre class=\"cmd\"><code>").append(Html.esc(command.strip())).append("</code></pre>");
    }

    /** Returns where a command starts: at the beginning or right after ": ", or -1. */
    private static int commandStart(String text) {
        if (isCommand(text)) {
            return 0;
        }
        Matcher m = Pattern.compile(": ").matcher(text);
        while (m.find()) {
            if (isCommand(text.substring(m.end()))) {
                return m.end();
            }
        }
        return -1;
    }

    private static boolean isCommand(String text) {
        for (String c : COMMANDS) {
            if (text.startsWith(c + " ")) {
                return true;
            }
        }
        return false;
    }
}
