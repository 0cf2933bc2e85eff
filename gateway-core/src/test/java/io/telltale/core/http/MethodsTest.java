package io.telltale.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MethodsTest {
    @ParameterizedTest
    @CsvSource({"GET, true, true", "HEAD, true, true", "OPTIONS, true, true", "TRACE, true, true",
            "PUT, false, true", "DELETE, false, true", "POST, false, false", "PATCH, false, false",
            "CONNECT, false, false", "PROPFIND, false, false", "get, false, false"})
    void classifiesMethodsAsRfc9110Does(String name, boolean safe, boolean idempotent) {
        HttpMethod method = HttpMethod.valueOf(name);
        assertThat(Methods.isSafe(method)).as("safe").isEqualTo(safe);
        assertThat(Methods.isIdempotent(method)).as("idempotent").isEqualTo(idempotent);
    }
}
