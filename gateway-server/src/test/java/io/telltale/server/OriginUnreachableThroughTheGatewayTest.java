package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.telltale.server.lab.origin.CommandResult;
import io.telltale.server.lab.origin.UnreachableNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OriginUnreachableThroughTheGatewayTest {
    @TempDir
    Path dir;

    @Test
    void aGatewayWhoseOriginIsRoutedNowhereAnswers523() throws Exception {
        Optional<String> why = UnreachableNamespace.whyUnavailable();
        why.ifPresent(reason -> System.err.println("OriginUnreachableThroughTheGatewayTest skipped: " + reason));
        assumeTrue(why.isEmpty(), () -> "namespace test skipped: " + why.orElseThrow());
        UnreachableNamespace made;
        try {
            made = UnreachableNamespace.create();
        } catch (IOException e) {
            System.err.println("OriginUnreachableThroughTheGatewayTest skipped: " + e.getMessage());
            org.junit.jupiter.api.Assumptions.abort("a network namespace could not be made here: " + e.getMessage());
            return;
        }
        Path answer = dir.resolve("answer.txt");
        try (UnreachableNamespace ns = made) {
            CommandResult result = ns.execJava(Duration.ofSeconds(60), UnreachableGatewayMain.class, "127.77.0.1",
                    answer.toString());
            assertThat(result.succeeded()).as("%s", result).isTrue();
        }

        String text = Files.readString(answer, StandardCharsets.UTF_8);
        assertThat(text).startsWith("HTTP/1.1 523\n").contains("X-Gateway-Error-Code: OriginUnreachable\n",
                "523 OriginUnreachable", "127.77.0.1");
        DocExamples.keepText("OriginUnreachable", text);
    }
}
