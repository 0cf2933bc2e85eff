package io.telltale.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Writes docs/configuration.md from the config records: their keys, types and defaults, and their javadoc. */
final class ConfigReference {
    private static final Pattern PARAM = Pattern.compile("@param\\s+(\\w+)\\s+(.*?)(?=\\n\\s*\\*\\s*@|\\*/)",
            Pattern.DOTALL);
    private static final Pattern INLINE_TAG = Pattern.compile("\\{@(?:code|link)\\s+");

    private final Path sourceDirectory;
    private final Map<Class<?>, Map<String, String>> descriptions = new HashMap<>();

    /** Creates a writer that reads javadoc from the config package's sources in this directory. */
    ConfigReference(Path sourceDirectory) {
        this.sourceDirectory = sourceDirectory;
    }

    /** Returns the whole reference page as Markdown. */
    String markdown() {
        StringBuilder page = new StringBuilder()
                .append("# Configuration reference\n\n")
                .append("Generated from the records in `gateway-core/src/main/java/io/telltale/core/config` by\n")
                .append("`ConfigReferenceTest`; do not edit by hand. Regenerate with\n")
                .append("`mvn -o -pl gateway-core test -Dtest=ConfigReferenceTest -Dtelltale.regenerateDocs=true`.\n\n")
                .append("Durations are written `250ms`, `10s`, `5m`, `1h`, `1d` or `0`; sizes `512`, `512B`, `64KiB`,\n")
                .append("`8MiB` or `1GiB`; choices in lower-kebab case. `sites[]` marks a list of mappings.\n")
                .append("An example with comments on every setting is `config/gateway.example.yaml`.\n\n")
                .append("| Key | Value | Default | Meaning |\n")
                .append("|---|---|---|---|\n");
        rows(GatewayConfig.class, "", page);
        return page.toString();
    }

    private void rows(Class<?> type, String prefix, StringBuilder page) {
        for (RecordComponent component : type.getRecordComponents()) {
            String key = prefix + component.getName();
            Class<?> raw = component.getType();
            Class<?> nested = nestedRecord(component);
            page.append("| `").append(key).append(nested != null && raw == List.class ? "[]" : "").append("` | ")
                    .append(escape(nested != null ? (raw == List.class ? "a list of mappings" : "a mapping")
                            : RecordBinder.describe(component, raw)))
                    .append(" | ").append(escape(defaultOf(component, nested))).append(" | ")
                    .append(escape(description(component))).append(" |\n");
            if (nested != null) {
                rows(nested, key + (raw == List.class ? "[]." : "."), page);
            }
        }
    }

    private static Class<?> nestedRecord(RecordComponent component) {
        Class<?> type = component.getType();
        if (type == List.class) {
            Class<?> element = (Class<?>) ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[0];
            return element.isRecord() ? element : null;
        }
        return type.isRecord() && type != DataSize.class ? type : null;
    }

    private static String defaultOf(RecordComponent component, Class<?> nested) {
        Default preset = component.getAnnotation(Default.class);
        if (preset != null) {
            return "`" + preset.value() + "`";
        }
        if (component.isAnnotationPresent(Optional.class)) {
            return "none";
        }
        if (component.getType() == List.class) {
            return "`[]`";
        }
        return nested != null ? "(defaults below)" : "**required**";
    }

    private String description(RecordComponent component) {
        Class<?> owner = component.getDeclaringRecord();
        String text = descriptions.computeIfAbsent(owner, this::readDescriptions).get(component.getName());
        if (text == null) {
            throw new IllegalStateException(owner.getSimpleName() + " has no @param for " + component.getName());
        }
        return text;
    }

    private Map<String, String> readDescriptions(Class<?> owner) {
        String source;
        try {
            source = Files.readString(sourceDirectory.resolve(owner.getSimpleName() + ".java"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> found = new HashMap<>();
        Matcher param = PARAM.matcher(source);
        while (param.find()) {
            String text = param.group(2).replaceAll("\\s*\\n\\s*\\*\\s*", " ").strip();
            found.put(param.group(1), asMarkdown(text));
        }
        return found;
    }

    /** Turns javadoc into Markdown: inline code tags (whose text may hold braces) become backticks, null is "left out". */
    private static String asMarkdown(String javadoc) {
        StringBuilder out = new StringBuilder();
        Matcher tag = INLINE_TAG.matcher(javadoc);
        int from = 0;
        while (tag.find(from)) {
            out.append(javadoc, from, tag.start()).append('`');
            int depth = 1;
            int i = tag.end();
            for (; depth > 0; i++) {
                char c = javadoc.charAt(i);
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                if (depth > 0) {
                    out.append(c);
                }
            }
            out.append('`');
            from = i;
        }
        return out.append(javadoc.substring(from)).toString().replace("null", "left out");
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|");
    }
}
