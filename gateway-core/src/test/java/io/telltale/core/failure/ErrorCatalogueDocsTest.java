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
    /** Real responses and records captured by the gateway-server tests that make each failure happen. */
    private static final Path EXAMPLES = Path.of("..", "docs", "examples");

    private static Map<FailureCode, CatalogueExample> examples() throws IOException {
        Map<FailureCode, CatalogueExample> examples = new EnumMap<>(FailureCode.class);
        for (FailureCode c : FailureCode.values()) {
            for (CatalogueExample.Kind kind : CatalogueExample.Kind.values()) {
                Path file = EXAMPLES.resolve(c.code() + "." + kind.suffix());
                if (Files.exists(file)) {
                    CatalogueExample before = examples.put(c, new CatalogueExample(kind, Files.readString(file, StandardCharsets.UTF_8)));
                    assertThat(before).as(c.code() + " has one example, not two").isNull();
                }
            }
        }
        return examples;
    }

    private static Map<FailureCode, String> examplesOf(CatalogueExample.Kind kind) throws IOException {
        Map<FailureCode, String> texts = new EnumMap<>(FailureCode.class);
        examples().forEach((code, example) -> {
            if (example.kind() == kind) {
                texts.put(code, example.text());
            }
        });
        return texts;
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
    void everyCodeHasAnExampleOrAStatedReasonForNone() throws IOException {
        assertThat(ErrorCatalogueDocs.withoutExample(examples()))
                .as("codes with neither docs/examples/<code>.txt, .recorded.txt nor .no-example.md").isEmpty();
    }

    @Test
    void everyResponseExampleIsAResponseOfItsOwnCode() throws IOException {
        examplesOf(CatalogueExample.Kind.RESPONSE).forEach((code, example) -> assertThat(example).as(code.code())
                .contains("X-Gateway-Error-Code: " + code.code()).contains(code.status() + " " + code.code()));
    }

    @Test
    void everyRecordNamesItsOwnCode() throws IOException {
        examplesOf(CatalogueExample.Kind.RECORD).forEach((code, example) -> assertThat(example).as(code.code())
                .contains(code.code()).doesNotContain("X-Gateway-Error-Code"));
    }

    @Test
    void everyStatedReasonSaysWhyThereIsNoExample() throws IOException {
        examplesOf(CatalogueExample.Kind.NO_EXAMPLE).forEach((code, reason) -> assertThat(reason.toLowerCase(java.util.Locale.ROOT)).as(code.code())
                .containsAnyOf("not reproducible on loopback", "refused at config load"));
    }

    @Test
    void aRecordAndAReasonAreShownAsWhatTheyAreNotAsAResponse() {
        String page = ErrorCatalogueDocs.render(Map.of(
                FailureCode.HTTP2_RAPID_RESET, new CatalogueExample(CatalogueExample.Kind.RECORD, "GOAWAY"),
                FailureCode.GATEWAY_INTERNAL_ERROR, new CatalogueExample(CatalogueExample.Kind.NO_EXAMPLE, "needs a bug")));

        assertThat(page).contains("**Example** (no HTTP response exists for this failure: what the gateway sent and"
                        + " recorded when a test made it happen on loopback):\n\n```\nGOAWAY\n```")
                .contains("**No example.** needs a bug\n").doesNotContain("(a real response, made on loopback by a test)");
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
