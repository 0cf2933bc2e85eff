package io.telltale.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
    @Test
    void documentationMatchesTheRecords() throws Exception {
        Path root = RepositoryRoot.find();
        Path docs = root.resolve("docs/configuration.md");
        String generated = new ConfigReference(
                root.resolve("gateway-core/src/main/java/io/telltale/core/config")).markdown();
        if (Boolean.getBoolean("telltale.regenerateDocs")) {
            Files.createDirectories(docs.getParent());
            Files.writeString(docs, generated);
        }
        assertThat(docs).exists();
        assertThat(Files.readString(docs))
                .as("docs/configuration.md is out of date; rerun this test with -Dtelltale.regenerateDocs=true")
                .isEqualTo(generated);
    }

    @Test
    void documentationNamesEveryKeyWithItsDefault() {
        String page = new ConfigReference(RepositoryRoot.find()
                .resolve("gateway-core/src/main/java/io/telltale/core/config")).markdown();

        assertThat(page).contains("| `sites[].origins[].httpsPort` | 80, 443 or 1024-65535 | `443` | the port for"
                + " HTTPS (80, 443 or 1024-65535) |");
        assertThat(page).contains("| `sites[].name` | a site name | **required** |");
        assertThat(page).contains("| `server.httpsPort` | an integer 0-65535 | none |");
        assertThat(page).contains("| `sites[].origins[].protocol` | http-only, https-only, match-viewer, h2 or h2c |"
                + " `http-only` |");
    }
}
