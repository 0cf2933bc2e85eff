package io.telltale.core.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorCatalogueDocsTest {
    /** Tests run in the module directory; the page lives at the repository root. */
    private static final Path PAGE = Path.of("..", "docs", "errors.md");
    /** Real responses captured by the gateway-server tests that make each failure happen. */
    private static final Path EXAMPLES = Path.of("..", "docs", "examples");

    private static Map<FailureCode, String> examples() throws IOException {
        Map<FailureCode, String> examples = new EnumMap<>(FailureCode.class);
        for (FailureCode c : FailureCode.values()) {
            Path file = EXAMPLES.resolve(c.code() + ".txt");
            if (Files.exists(file)) {
                examples.put(c, Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return examples;
    }

    @Test
    void committedPageMatchesTheCatalogueWhenBuilt() throws IOException {
        String rendered = ErrorCatalogueDocs.render(examples());
        if (Boolean.getBoolean("telltale.regenerateDocs")) {
            Files.createDirectories(PAGE.getParent());
            Files.writeString(PAGE, rendered, StandardCharsets.UTF_8);
        }

        assertThat(Files.readString(PAGE, StandardCharsets.UTF_8))
                .as("docs/errors.md is stale: rerun with -Dtelltale.regenerateDocs=true")
                .isEqualTo(rendered);
    }

    @Test
    void everyExampleIsAResponseOfItsOwnCode() throws IOException {
        examples().forEach((code, example) -> assertThat(example).as(code.code())
                .contains("X-Gateway-Error-Code: " + code.code()).contains(code.status() + " " + code.code()));
    }

    @Test
    void pageHasARowAndASectionPerEntryWhenRendered() {
        String page = ErrorCatalogueDocs.render();

        for (FailureCode c : FailureCode.values()) {
            assertThat(page).contains("| [" + c.code() + "](#" + c.code().toLowerCase(java.util.Locale.ROOT) + ") | " + c.status() + " |")
                    .contains("\n## " + c.code() + "\n")
                    .contains(c.meaning(), c.visitorAdvice())
                    .contains(c.ownerAdvice().get(0));
        }
    }
}
