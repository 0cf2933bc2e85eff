package io.telltale.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a real error response as the example of its code in {@code docs/examples/}, which
 * {@code docs/errors.md} shows; only when the docs are being regenerated ({@code -Dtelltale.regenerateDocs=true}).
 */
final class DocExamples {
    /** Tests run in the module directory; the examples live under the repository's docs. */
    private static final Path DIR = Path.of("..", "docs", "examples");
    private static final List<String> HEADERS = List.of("X-Gateway-Error-Code", "Proxy-Status", "X-Cache", "Cache-Status");

    private DocExamples() {
    }

    /** Keeps the plain-text response as the example of its code, when regenerating the docs. */
    static void keep(String code, RawHttp.Response response) throws IOException {
        if (!Boolean.getBoolean("telltale.regenerateDocs")) {
            return;
        }
        StringBuilder out = new StringBuilder("HTTP/1.1 ").append(response.status()).append('\n');
        for (String name : HEADERS) {
            String value = response.header(name);
            if (value != null) {
                out.append(name).append(": ").append(value).append('\n');
            }
        }
        out.append('\n').append(response.bodyText());
        Files.createDirectories(DIR);
        Files.writeString(DIR.resolve(code + ".txt"), out.toString(), StandardCharsets.UTF_8);
    }
}
