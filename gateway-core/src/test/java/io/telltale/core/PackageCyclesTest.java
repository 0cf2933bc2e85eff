package io.telltale.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {
    private static final Path CORE = Path.of("src/main/java/io/telltale/core");
    private static final Pattern CORE_IMPORT = Pattern.compile("^import (?:static )?io\\.telltale\\.core\\.(\\w+)\\.",
            Pattern.MULTILINE);
    private static final Pattern SERVER_IMPORT = Pattern.compile("^import (?:static )?io\\.telltale\\.server\\.",
            Pattern.MULTILINE);

    @Test
    void corePackagesDependOnEachOtherOneWayOnly() {
        Map<String, Set<String>> uses = imports();

        assertThat(uses).containsKeys("failure", "origin", "http");
        assertThat(cycles(uses)).as("import cycles between core packages").isEmpty();
    }

    @Test
    void failureNeverImportsOrigin() {
        assertThat(imports().get("failure")).as("origin produces failures, not the other way").doesNotContain("origin");
    }

    @Test
    void httpImportsNoOtherCorePackage() {
        assertThat(imports().get("http")).as("every package may use http, so it may use none").isEmpty();
    }

    @Test
    void coreNeverImportsTheServer() throws IOException {
        try (Stream<Path> files = Files.walk(CORE)) {
            assertThat(files.filter(f -> f.toString().endsWith(".java")).filter(f -> SERVER_IMPORT.matcher(read(f)).find()))
                    .isEmpty();
        }
    }

    /** Returns, per core package, the other core packages its main sources import. */
    private static Map<String, Set<String>> imports() {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(CORE)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                String from = CORE.relativize(f.getParent()).toString().replace('/', '.');
                Set<String> to = uses.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher m = CORE_IMPORT.matcher(read(f));
                while (m.find()) {
                    if (!m.group(1).equals(from)) {
                        to.add(m.group(1));
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return uses;
    }

    /** Returns each cycle found by a depth-first walk, written as its path of packages. */
    private static List<String> cycles(Map<String, Set<String>> uses) {
        List<String> found = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        for (String start : uses.keySet()) {
            walk(start, uses, new ArrayList<>(), done, found);
        }
        return found;
    }

    private static void walk(String pkg, Map<String, Set<String>> uses, List<String> path, Set<String> done,
                             List<String> found) {
        int seen = path.indexOf(pkg);
        if (seen >= 0) {
            found.add(String.join(" -> ", path.subList(seen, path.size())) + " -> " + pkg);
            return;
        }
        if (done.contains(pkg)) {
            return;
        }
        path.add(pkg);
        for (String next : uses.getOrDefault(pkg, Set.of())) {
            walk(next, uses, path, done, found);
        }
        path.remove(path.size() - 1);
        done.add(pkg);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
