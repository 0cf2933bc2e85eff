package io.telltale.server.admin;

import java.nio.charset.StandardCharsets;

/**
 * An admin API answer before it is encoded.
 *
 * @param status the HTTP status
 * @param contentType the media type
 * @param body the body
 */
public record AdminResponse(int status, String contentType, byte[] body) {
    /** Returns a plain-text answer. */
    public static AdminResponse text(int status, String text) {
        return new AdminResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns a JSON answer. */
    public static AdminResponse json(int status, String json) {
        return new AdminResponse(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }
}
