package io.telltale.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads a gateway configuration from YAML into immutable records and validates it, reporting every problem at once. */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // YAML 1.1 would read a site named "no" as false; only true and false are booleans here.
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .build())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate field '(.*)'", Pattern.DOTALL);

    private ConfigLoader() {
    }

    /** Reads and validates the configuration in this file, throwing {@link ConfigException} with every problem found. */
    public static GatewayConfig load(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": " + e.getClass().getSimpleName() + " " + e.getMessage()
                    + " (expected: a readable UTF-8 YAML file)"));
        }
        return parse(yaml, file.toString());
    }

    /**
     * Reads and validates a configuration from YAML text, naming {@code sourceName} in syntax errors, and throws
     * {@link ConfigException} with every problem found.
     */
    public static GatewayConfig parse(String yaml, String sourceName) {
        JsonNode root = readTree(yaml, sourceName);
        ProfileDefaults.fill(root);
        Problems problems = new Problems();
        GatewayConfig config = new RecordBinder(problems, ConfigLoader::readDefault)
                .bindRecord(GatewayConfig.class, root, "");
        problems.throwIfAny();
        ConfigValidator.validate(config);
        return config;
    }

    private static JsonNode readTree(String yaml, String sourceName) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(List.of(syntaxProblem(e, sourceName)));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException(List.of(sourceName
                    + ": empty (expected: a YAML mapping with at least a sites list)"));
        }
        if (!root.isObject()) {
            throw new ConfigException(List.of(sourceName + ": " + Problems.display(root, false)
                    + " (expected: a YAML mapping with at least a sites list)"));
        }
        return root;
    }

    private static String syntaxProblem(JsonProcessingException e, String sourceName) {
        JsonLocation location = e.getLocation();
        String where = location == null || location.getLineNr() < 1 ? ""
                : " line " + location.getLineNr() + ", column " + location.getColumnNr();
        Matcher duplicate = DUPLICATE_KEY.matcher(e.getOriginalMessage());
        if (duplicate.matches()) {
            return sourceName + where + ": duplicate key " + duplicate.group(1)
                    + " (expected: each key once per mapping)";
        }
        String reason = e.getCause() instanceof MarkedYAMLException
                && ((MarkedYAMLException) e.getCause()).getProblem() != null
                ? ((MarkedYAMLException) e.getCause()).getProblem()
                : e.getOriginalMessage().lines().findFirst().orElse("unreadable").strip();
        return sourceName + where + ": " + reason + " (expected: valid YAML)";
    }

    private static JsonNode readDefault(String text) {
        try {
            return YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("unreadable @Default text " + text, e);
        }
    }
}
