package io.telltale.server.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JVM defaults the {@code telltale} launcher script starts the gateway with, read from the script. */
record Launcher(List<String> systemProperties, String javaOptions, Map<String, String> environment) {
    private static final Pattern JAVA_OPTS_DEFAULT = Pattern.compile("\\$\\{JAVA_OPTS:-([^}]*)}");
    private static final Pattern EXPORT = Pattern.compile("^export ([A-Z_][A-Z0-9_]*)=\"?([^\"\\s]*)\"?$");

    /** Reads the launcher's exec line (continuations joined) and its exported variables. */
    static Launcher parse(String script) {
        String exec = null;
        StringBuilder line = new StringBuilder();
        Map<String, String> environment = new LinkedHashMap<>();
        for (String raw : script.split("\n")) {
            String trimmed = raw.strip();
            if (trimmed.endsWith("\\")) {
                line.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            String joined = line.append(trimmed).toString();
            line.setLength(0);
            if (joined.startsWith("exec java ")) {
                exec = joined;
            }
            Matcher export = EXPORT.matcher(joined);
            if (export.matches()) {
                environment.put(export.group(1), export.group(2));
            }
        }
        if (exec == null) {
            throw new IllegalArgumentException("telltale: no `exec java ...` line (expected: the launcher's one)");
        }
        List<String> properties = new ArrayList<>();
        for (String word : exec.split("\\s+")) {
            if (word.startsWith("-D")) {
                properties.add(word);
            }
        }
        Matcher options = JAVA_OPTS_DEFAULT.matcher(exec);
        if (!options.find()) {
            throw new IllegalArgumentException("telltale: no ${JAVA_OPTS:-...} default on the exec line");
        }
        return new Launcher(List.copyOf(properties), options.group(1).strip(), Map.copyOf(environment));
    }
}
