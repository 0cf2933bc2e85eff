package io.telltale.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HopByHopTest {
    @Test
    void stripRemovesTheRfcFieldsTheProxyCredentialsAndWhatConnectionNames() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Connection", "keep-alive, X-Client-Hop")
                .add("connection", "X-Second ,,")
                .add("X-Client-Hop", "secret")
                .add("x-second", "2")
                .add("Keep-Alive", "timeout=5")
                .add("Proxy-Connection", "keep-alive")
                .add("TE", "trailers")
                .add("Trailer", "X-Sum")
                .add("Transfer-Encoding", "chunked")
                .add("Upgrade", "websocket")
                .add("Proxy-Authorization", "Basic Zm9v")
                .add("Proxy-Authenticate", "Basic")
                .add("X-Kept", "yes")
                .add("Cache-Control", "max-age=60");

        HopByHop.strip(headers);

        assertThat(headers.names()).containsExactlyInAnyOrder("X-Kept", "Cache-Control");
    }

    @Test
    void stripLeavesHeadersWithoutConnectionFieldsAlone() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Host", "www.test").add("Accept", "*/*");

        HopByHop.strip(headers);

        assertThat(headers.names()).containsExactlyInAnyOrder("Host", "Accept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Connection", "keep-alive", "PROXY-CONNECTION", "te", "Trailer", "transfer-encoding",
            "Upgrade", "proxy-authorization", "Proxy-Authenticate"})
    void fixedFieldsAreHopByHopInAnyCase(String name) {
        assertThat(HopByHop.isHopByHop(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length", "Host", "Via", "Trailers", "Authorization", "X-Connection"})
    void endToEndFieldsAreNotHopByHop(String name) {
        assertThat(HopByHop.isHopByHop(name)).isFalse();
    }

    @Test
    void connectionOptionsAreLowerCaseTrimmedAndWithoutEmptyEntries() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Connection", "Keep-Alive , X-Hop,").add("Connection", ", close");

        assertThat(HopByHop.connectionOptions(headers)).containsExactlyInAnyOrder("keep-alive", "x-hop", "close");
        assertThat(HopByHop.connectionOptions(new DefaultHttpHeaders())).isEmpty();
    }

    @Test
    void fieldsAreTheSevenOfRfc9110() {
        assertThat(HopByHop.FIELDS).containsExactly("Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer",
                "Transfer-Encoding", "Upgrade");
    }
}
