package io.telltale.core.failure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TemplateFillerTest {
    private final Evidence evidence = Evidence.builder()
            .put("origin.host", "origin.example").put("origin.port", 443).put("sni", "www.example").build();

    @Test
    void placeholdersAreReplacedWhenEvidenceHasThem() {
        assertThat(TemplateFiller.fill("openssl s_client -connect {origin.host}:{origin.port} -servername {sni}", evidence))
                .isEqualTo("openssl s_client -connect origin.example:443 -servername www.example");
    }

    @Test
    void missingPlaceholderStaysVisibleWhenEvidenceLacksIt() {
        assertThat(TemplateFiller.fill("dig @{resolver} {origin.host}", evidence)).isEqualTo("dig @<resolver> origin.example");
    }

    @Test
    void ruleVariablesAndCurlFormatsAreKeptWhenTemplated() {
        assertThat(TemplateFiller.fill("use ${request.host} or -w '%{time_total}' on {origin.host}", evidence))
                .isEqualTo("use ${request.host} or -w '%{time_total}' on origin.example");
    }

    @Test
    void unclosedBraceIsKeptWhenTemplated() {
        assertThat(TemplateFiller.fill("a {origin.host} {b", evidence)).isEqualTo("a origin.example {b");
    }
}
