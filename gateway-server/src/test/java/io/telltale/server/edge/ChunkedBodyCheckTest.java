package io.telltale.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkedBodyCheckTest {
    private static boolean follows(String body, int pieces) {
        ChunkedBodyCheck check = new ChunkedBodyCheck();
        ByteBuf in = Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1);
        try {
            // Fed in pieces, as the decoder consumes it over several reads.
            int step = Math.max(1, body.length() / pieces);
            boolean ok = true;
            for (int from = 0; from < body.length() && ok; from += step) {
                ok = check.follow(in, from, Math.min(body.length(), from + step));
            }
            return ok;
        } finally {
            in.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0\r\n\r\n", "3\r\nabc\r\n0\r\n\r\n", "3;a\r\nabc\r\n0\r\n\r\n", "3;a=b;c=\"d e\"\r\nabc\r\n0\r\n\r\n",
        "3 ; a = b\r\nabc\r\n0\r\n\r\n", "3;a=\"x\\\"y\"\r\nabc\r\n0;last\r\nTrailer: v\r\n\r\n",
        "3;a=b\r\n;=x\r\n0\r\n\r\n", "A\r\n0123456789\r\n0\r\n\r\n"})
    void followsValidChunkLinesWhole(String body) {
        assertThat(follows(body, 1)).isTrue();
        assertThat(follows(body, body.length())).as("byte by byte").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0;a b\r\n\r\n", "3;=x\r\nabc\r\n0\r\n\r\n", "3;a=\"b\r\nabc\r\n0\r\n\r\n", "3;a@b\r\nabc\r\n",
        "3\r\nabc\r\n0;a=b c\r\n\r\n", "3;a=\"\u0001\"\r\nabc\r\n", " 3\r\nabc\r\n", "3;a\rb\r\nabc\r\n",
        "3\r\nabcX\r\n0\r\n\r\n"})
    void refusesInvalidChunkLines(String body) {
        assertThat(follows(body, 1)).isFalse();
        assertThat(follows(body, body.length())).as("byte by byte").isFalse();
    }
}
