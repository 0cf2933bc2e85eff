package io.telltale.core.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ErrorCatalogueDocsTest {
    /** Tests run in the module directory; the page lives at the repository root. */
    private static final Path PAGE = Path.of("..", "docs", "errors.md");

    @Test
    void committedPageMatchesTheCatalogueWhenBuilt() throws IOException {
        String rendered = ErrorCatalogueDocs.render();
        if (Boolean.getBoolean("telltale.regenerateDocs")) {
            Files.createDirectories(PAGE.getParent());
            Files.writeString(PAGE, rendered, StandardCharsets.UTF_8);
        }

        assertThat(Files.readString(PAGE, StandardCharsets.UTF_8))
                .as("docs/errors.md is stale: rerun with -Dtelltale.regenerateDocs=true")
                .isEqualTo(rendered);
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
