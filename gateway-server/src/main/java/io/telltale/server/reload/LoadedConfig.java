package io.telltale.server.reload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telltale.core.config.ConfigException;
import io.telltale.core.config.ConfigLoader;
import io.telltale.core.config.GatewayConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated config as the gateway loaded it: where from, its digest and when.
 *
 * @param config the validated config
 * @param file the file it was read from, or null when it was given as an object (then it cannot be reloaded)
 * @param digest {@code sha256:} and the hex SHA-256 of the file's bytes (of the config's text form without a file)
 * @param loadedAt when it was read
 */
public record LoadedConfig(GatewayConfig config, Path file, String digest, Instant loadedAt) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads and validates a config file, throwing {@link ConfigException} with every problem found. */
    public static LoadedConfig read(Path file, Instant now) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": " + e.getClass().getSimpleName() + " " + e.getMessage()
                    + " (expected: a readable UTF-8 YAML file)"));
        }
        GatewayConfig config = ConfigLoader.parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
        return new LoadedConfig(config, file, digest(bytes), now);
    }

    /** Describes a config given as an object, which has no file to reload from. */
    public static LoadedConfig of(GatewayConfig config, Instant now) {
        return new LoadedConfig(config, null, digest(config.toString().getBytes(StandardCharsets.UTF_8)), now);
    }

    /** Returns the admin API's JSON description: digest, load time and file. */
    public byte[] toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("digest", digest);
        json.put("loadedAt", loadedAt.toString());
        json.put("file", file == null ? null : file.toString());
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings always serialize", e);
        }
    }

    /** Returns {@code sha256:} and the hex SHA-256 of some bytes, as a loaded config's digest reads. */
    static String digest(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
