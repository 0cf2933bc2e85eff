package io.telltale.core.failure;

import static io.telltale.core.failure.AcceptNegotiation.ERROR_FORMATS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptNegotiationTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL | text/plain",
        "*/* | text/plain",
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8 | text/html",
        "application/problem+json | application/problem+json",
        "application/json, text/plain, */* | application/problem+json",
        "text/html;q=0.5, application/json;q=0.9 | application/problem+json",
        "text/* | text/plain",
        "text/html, */*;q=0 | text/html",
        "text/html;q=0, */* | text/plain",
        "image/png | text/plain",
        "application/*;q=0.2, text/html;q=0.1 | application/problem+json",
        "TEXT/HTML;Q=1 | text/html",
        "text/html;q=abc, text/plain;q=0.1 | text/plain",
    })
    void preferredFormatIsChosenWhenNegotiating(String accept, String expected) {
        assertThat(AcceptNegotiation.choose(accept, ERROR_FORMATS)).isEqualTo(expected);
    }
}
