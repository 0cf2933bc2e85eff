package io.telltale.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoopMarksTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Via      | 1.1 telltale                     | true",
            "Via      | 1.0 fred, 1.1 TellTale (Telltale) | true",
            "Via      | HTTP/1.1 telltale                | true",
            "Via      | 1.1 telltale-2, 1.1 other        | false",
            "Via      | 1.1 tell                         | false",
            "CDN-Loop | telltale                         | true",
            "CDN-Loop | foo, telltale;abc=123            | true",
            "CDN-Loop | foo, bar                         | false"})
    void findsThePseudonymAsAWholeEntry(String field, String value, boolean listed) {
        HttpHeaders headers = new DefaultHttpHeaders().add(field, value);

        assertThat(LoopMarks.lists(headers, field, "telltale")).isEqualTo(listed);
    }

    @ParameterizedTest
    @CsvSource({"Via, CDN-Loop", "CDN-Loop, Via"})
    void looksOnlyAtTheFieldAsked(String present, String asked) {
        HttpHeaders headers = new DefaultHttpHeaders().add(present, "1.1 telltale");

        assertThat(LoopMarks.lists(headers, asked, "telltale")).isFalse();
    }
}
