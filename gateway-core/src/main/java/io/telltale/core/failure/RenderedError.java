package io.telltale.core.failure;

import java.util.List;
import java.util.Map;

/**
 * A response ready to write: status, headers in order, content type and body bytes.
 *
 * @param status the HTTP status
 * @param headers the headers to set, in order, including {@code Content-Type}; {@code Content-Length}
 *     is left to the writer
 * @param contentType the body's media type with its charset
 * @param body the encoded body
 */
public record RenderedError(int status, List<Map.Entry<String, String>> headers, String contentType, byte[] body) {

    public RenderedError {
        headers = List.copyOf(headers);
    }

    /** Returns the first value of a header, ignoring case, or null. */
    public String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }
}
