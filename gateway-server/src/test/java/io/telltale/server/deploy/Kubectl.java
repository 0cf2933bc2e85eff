package io.telltale.server.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Renders a Kustomize directory with the kubectl found on the PATH, as CI and an operator do. */
final class Kubectl {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path executable;

    private Kubectl(Path executable) {
        this.executable = executable;
    }

    /** Returns the kubectl on the PATH, or empty when there is none. */
    static Optional<Kubectl> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new Kubectl(candidate));
            }
        }
        return Optional.empty();
    }

    /** Returns every object {@code kubectl kustomize} renders from the directory, in its order. */
    List<JsonNode> kustomize(Path directory) throws IOException, InterruptedException {
        Path out = Files.createTempFile("kustomize", ".yaml");
        Path err = Files.createTempFile("kustomize", ".err");
        try {
            Process process = new ProcessBuilder(executable.toString(), "kustomize", directory.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("kubectl kustomize " + directory + " took more than 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("kubectl kustomize " + directory + " failed: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return parse(Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Returns the objects of a multi-document YAML stream, skipping empty documents. */
    static List<JsonNode> parse(String yaml) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && document.isObject()) {
                    objects.add(document);
                }
            }
        }
        return objects;
    }
}
