package io.telltale.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The image's Dockerfile, read as a reviewer would: no registry is reachable here to build it. */
class DockerfileTest {
    static final Path DOCKERFILE = Path.of("..", "deploy", "Dockerfile");
    static final String JAR = "/opt/telltale/telltale.jar";
    static final String CONFIG = "/etc/telltale/gateway.yaml";

    static Dockerfile dockerfile() throws IOException {
        return Dockerfile.parse(Files.readString(DOCKERFILE, StandardCharsets.UTF_8));
    }

    static Launcher launcher() throws IOException {
        return Launcher.parse(Files.readString(Path.of("..", "telltale"), StandardCharsets.UTF_8));
    }

    @Test
    void passesTheImageReview() throws IOException {
        assertThat(dockerfile().violations()).isEmpty();
    }

    @Test
    void startsTheJvmAsTheLauncherDoes() throws IOException {
        Dockerfile image = dockerfile();
        Launcher launcher = launcher();
        List<String> expected = new ArrayList<>();
        expected.add("java");
        expected.addAll(launcher.systemProperties());
        expected.addAll(List.of("-jar", JAR));
        assertThat(image.entrypoint()).containsExactlyElementsOf(expected);
        assertThat(image.environment()).containsEntry("JDK_JAVA_OPTIONS", launcher.javaOptions());
        assertThat(image.environment()).containsAllEntriesOf(launcher.environment());
    }

    @Test
    void putsTheJarAndConfigWhereTheManifestsExpectThem() throws IOException {
        Dockerfile image = dockerfile();
        assertThat(image.copiedTo()).contains(JAR, CONFIG);
        assertThat(image.cmd()).containsExactly("run", "--config", CONFIG);
    }

    @Test
    void refusesAnUnpinnedBaseARootUserAndADownload() {
        Dockerfile bad = Dockerfile.parse("""
                FROM maven:3.9.9-eclipse-temurin-17 AS build
                RUN mvn -B package
                FROM eclipse-temurin:17-jre
                ADD https://example.com/agent.jar /opt/agent.jar
                RUN apt-get update && \\
                    curl -fsSL https://example.com/install.sh | sh
                USER root
                ENTRYPOINT java -jar /opt/telltale/telltale.jar
                """);
        assertThat(bad.violations()).containsExactly(
                "FROM maven:3.9.9-eclipse-temurin-17 (expected: a base pinned by digest, image@sha256:...)",
                "FROM eclipse-temurin:17-jre (expected: a base pinned by digest, image@sha256:...)",
                "ADD https://example.com/agent.jar /opt/agent.jar (expected: nothing fetched from a URL at build time)",
                "RUN apt-get update &&  curl -fsSL https://example.com/install.sh | sh"
                        + " (expected: nothing fetched from a URL at build time)",
                "USER root (expected: a numeric non-root user, which runAsNonRoot can verify)",
                "ENTRYPOINT: none in exec form in the runtime stage (expected: [\"java\", ...])");
    }

    @Test
    void acceptsACopyFromAnEarlierStageAndANonRootUser() {
        Dockerfile good = Dockerfile.parse("""
                FROM maven@sha256:%1$s AS build
                FROM build AS test
                FROM eclipse-temurin@sha256:%1$s
                COPY --from=build /src/app.jar /opt/app.jar
                USER 10001:10001
                ENTRYPOINT ["java", "-jar", "/opt/app.jar"]
                """.formatted("a".repeat(64)));
        assertThat(good.violations()).isEmpty();
        assertThat(good.copiedTo()).containsExactly("/opt/app.jar");
    }
}
