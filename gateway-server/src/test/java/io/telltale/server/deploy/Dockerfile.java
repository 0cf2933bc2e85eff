package io.telltale.server.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Dockerfile read as its instructions, with the rules an image review applies to them. */
final class Dockerfile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIGEST = Pattern.compile("@sha256:[0-9a-f]{64}(\\s|$)");
    private static final Pattern FETCHER = Pattern.compile("\\b(curl|wget)\\b|https?://|ftp://|git@");
    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");

    /** One instruction: its keyword in upper case and the rest of its (joined) line. */
    record Instruction(String keyword, String arguments) {
    }

    private final List<List<Instruction>> stages = new ArrayList<>();
    private final List<String> stageNames = new ArrayList<>();

    private Dockerfile() {
    }

    /** Reads a Dockerfile's text: continuation lines joined, comments and the parser directive skipped. */
    static Dockerfile parse(String text) {
        Dockerfile file = new Dockerfile();
        StringBuilder line = new StringBuilder();
        for (String raw : text.split("\n", -1)) {
            String trimmed = raw.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && line.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                line.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            line.append(trimmed);
            file.add(line.toString().strip());
            line.setLength(0);
        }
        if (line.length() > 0) {
            file.add(line.toString().strip());
        }
        return file;
    }

    private void add(String line) {
        if (line.isEmpty()) {
            return;
        }
        String[] parts = line.split("\\s+", 2);
        Instruction instruction = new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : "");
        if ("FROM".equals(instruction.keyword())) {
            stages.add(new ArrayList<>());
            String[] words = instruction.arguments().split("\\s+");
            stageNames.add(words.length == 3 && "AS".equalsIgnoreCase(words[1]) ? words[2] : "");
        }
        if (!stages.isEmpty()) {
            stages.get(stages.size() - 1).add(instruction);
        }
    }

    /** Returns every rule the file breaks, each as one line, empty when a reviewer would pass it. */
    List<String> violations() {
        List<String> found = new ArrayList<>();
        if (stages.size() < 2) {
            found.add("stages: " + stages.size() + " (expected: a build stage and a runtime stage)");
        }
        for (int i = 0; i < stages.size(); i++) {
            for (Instruction instruction : stages.get(i)) {
                check(instruction, i, found);
            }
        }
        String user = user();
        if (user == null) {
            found.add("USER: none in the runtime stage (expected: a numeric non-root user)");
        } else if (!user.split(":")[0].matches("[0-9]+") || Integer.parseInt(user.split(":")[0]) == 0) {
            found.add("USER " + user + " (expected: a numeric non-root user, which runAsNonRoot can verify)");
        }
        if (entrypoint().isEmpty()) {
            found.add("ENTRYPOINT: none in exec form in the runtime stage (expected: [\"java\", ...])");
        }
        return found;
    }

    private void check(Instruction instruction, int stage, List<String> found) {
        String arguments = instruction.arguments();
        switch (instruction.keyword()) {
            case "FROM" -> {
                String image = arguments.split("\\s+")[0];
                boolean earlierStage = stageNames.subList(0, stage).contains(image);
                if (!earlierStage && !"scratch".equals(image) && !DIGEST.matcher(image).find()) {
                    found.add("FROM " + image + " (expected: a base pinned by digest, image@sha256:...)");
                }
            }
            case "ADD" -> {
                if (FETCHER.matcher(arguments).find()) {
                    found.add("ADD " + arguments + " (expected: nothing fetched from a URL at build time)");
                }
            }
            case "RUN" -> {
                if (FETCHER.matcher(arguments).find()) {
                    found.add("RUN " + arguments + " (expected: nothing fetched from a URL at build time)");
                }
            }
            default -> {
            }
        }
    }

    private List<Instruction> runtime() {
        return stages.isEmpty() ? List.of() : stages.get(stages.size() - 1);
    }

    private String last(String keyword) {
        String value = null;
        for (Instruction instruction : runtime()) {
            if (keyword.equals(instruction.keyword())) {
                value = instruction.arguments();
            }
        }
        return value;
    }

    /** Returns the runtime stage's user, or null when it sets none. */
    String user() {
        return last("USER");
    }

    /** Returns the runtime stage's exec-form ENTRYPOINT, empty when there is none. */
    List<String> entrypoint() {
        return execForm(last("ENTRYPOINT"));
    }

    /** Returns the runtime stage's exec-form CMD, empty when there is none. */
    List<String> cmd() {
        return execForm(last("CMD"));
    }

    /** Returns the runtime stage's environment, from its ENV instructions in the KEY=value form. */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Instruction instruction : runtime()) {
            if ("ENV".equals(instruction.keyword())) {
                Matcher pair = ENV_PAIR.matcher(instruction.arguments());
                while (pair.find()) {
                    environment.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
                }
            }
        }
        return environment;
    }

    /** Returns the destinations of the runtime stage's COPY instructions. */
    List<String> copiedTo() {
        List<String> destinations = new ArrayList<>();
        for (Instruction instruction : runtime()) {
            if ("COPY".equals(instruction.keyword())) {
                String[] words = instruction.arguments().split("\\s+");
                destinations.add(words[words.length - 1]);
            }
        }
        return destinations;
    }

    private static List<String> execForm(String arguments) {
        if (arguments == null || !arguments.startsWith("[")) {
            return List.of();
        }
        try {
            return JSON.readValue(arguments, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }
}
