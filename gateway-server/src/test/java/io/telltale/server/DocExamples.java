package io.telltale.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the example of a code in {@code docs/examples/}, which {@code docs/errors.md} shows: a real error response,
 * or what the gateway recorded when it answers without one, or why no example can be made; only when the docs are
 * being regenerated ({@code -Dtelltale.regenerateDocs=true}).
 */
public final class DocExamples {
    /** Tests run in the module directory; the examples live under the repository's docs. */
    private static final Path DIR = Path.of("..", "docs", "examples");
    private static final List<String> HEADERS = List.of("X-Gateway-Error-Code", "Proxy-Status", "X-Cache", "Cache-Status");

    private DocExamples() {
    }

    /** Keeps the plain-text response as the example of its code, when regenerating the docs. */
    public static void keep(String code, RawHttp.Response response) throws IOException {
        keepText(code, text(response));
    }

    /** Keeps a plain-text response already written as {@link #text} (by a gateway in another process). */
    public static void keepText(String code, String responseText) throws IOException {
        if (!Boolean.getBoolean("telltale.regenerateDocs")) {
            return;
        }
        write(code + ".txt", responseText);
    }

    /** Returns a plain-text response as its example shows it: the status, the gateway's headers, the body. */
    static String text(RawHttp.Response response) {
        StringBuilder out = new StringBuilder("HTTP/1.1 ").append(response.status()).append('\n');
        for (String name : HEADERS) {
            String value = response.header(name);
            if (value != null) {
                out.append(name).append(": ").append(value).append('\n');
            }
        }
        return out.append('\n').append(response.bodyText()).toString();
    }

    /**
     * Keeps what was recorded for a failure the gateway answers without an HTTP response (a GOAWAY or RST_STREAM
     * frame, a cut tunnel): each labelled part as the test saw it, when regenerating the docs.
     */
    public static void keepRecord(String code, Map<String, String> seen) throws IOException {
        if (!Boolean.getBoolean("telltale.regenerateDocs")) {
            return;
        }
        StringBuilder out = new StringBuilder();
        seen.forEach((label, text) -> out.append(label).append(":\n").append(text.strip()).append("\n\n"));
        write(code + ".recorded.txt", out.toString());
    }

    /** Keeps why no example of a code can be made on loopback, with the real output that shows it, when regenerating. */
    public static void keepReason(String code, String markdown) throws IOException {
        if (!Boolean.getBoolean("telltale.regenerateDocs")) {
            return;
        }
        write(code + ".no-example.md", markdown);
    }

    private static void write(String name, String text) throws IOException {
        Files.createDirectories(DIR);
        Files.writeString(DIR.resolve(name), text, StandardCharsets.UTF_8);
    }
}
