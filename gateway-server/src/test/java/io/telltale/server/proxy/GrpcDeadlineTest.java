package io.telltale.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The grpc-timeout grammar (1 to 8 digits and a unit) read, written back reduced, and refused when malformed. */
class GrpcDeadlineTest {
    @Test
    void eachUnitIsRead() {
        assertThat(GrpcDeadline.parse("2H")).isEqualTo(TimeUnit.HOURS.toNanos(2));
        assertThat(GrpcDeadline.parse("3M")).isEqualTo(TimeUnit.MINUTES.toNanos(3));
        assertThat(GrpcDeadline.parse("1S")).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        assertThat(GrpcDeadline.parse("250m")).isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        assertThat(GrpcDeadline.parse("7u")).isEqualTo(7_000);
        assertThat(GrpcDeadline.parse("99999999n")).isEqualTo(99_999_999);
    }

    @Test
    void anythingOutsideTheGrammarIsMalformed() {
        for (String bad : new String[] {"", "S", "1", "1s", "1.5S", "-1S", " 1S", "123456789S", "1SS", "+1S"}) {
            assertThat(GrpcDeadline.parse(bad)).as(bad).isEqualTo(-1);
        }
        assertThat(GrpcDeadline.parse(null)).isEqualTo(-1);
    }

    @Test
    void theTimeLeftIsWrittenInTheFinestUnitThatFitsEightDigitsRoundedUp() {
        assertThat(GrpcDeadline.encode(TimeUnit.MILLISECONDS.toNanos(250))).isEqualTo("250000u");
        assertThat(GrpcDeadline.encode(99_999_999)).isEqualTo("99999999n");
        assertThat(GrpcDeadline.encode(100_000_001)).isEqualTo("100001u");
        assertThat(GrpcDeadline.encode(TimeUnit.HOURS.toNanos(30))).isEqualTo("108000S");
        assertThat(GrpcDeadline.encode(0)).isEqualTo("1n");
        assertThat(GrpcDeadline.parse(GrpcDeadline.encode(TimeUnit.DAYS.toNanos(3000)))).isPositive();
    }

    @Test
    void onlyAGrpcCallWithAWellFormedTimeoutHasADeadline() {
        assertThat(GrpcDeadline.of(request("application/grpc", "1S"), 1000))
                .isEqualTo(new GrpcDeadline(1_000_000_000L, 1_000_001_000L));
        assertThat(GrpcDeadline.of(request("application/json", "1S"), 1000).bounded()).isFalse();
        assertThat(GrpcDeadline.of(request("application/grpc", null), 1000).bounded()).isFalse();
        assertThat(GrpcDeadline.of(request("application/grpc", "99999999H"), 1000).bounded()).isFalse();
        assertThat(GrpcDeadline.malformed(request("application/grpc+proto", "1x")).detail()).contains("grpc-timeout");
        assertThat(GrpcDeadline.malformed(request("text/plain", "1x"))).isNull();
        assertThat(GrpcDeadline.malformed(request("application/grpc", "1S"))).isNull();
    }

    private static HttpRequest request(String contentType, String timeout) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/svc/Method");
        request.headers().set("content-type", contentType);
        if (timeout != null) {
            request.headers().set("grpc-timeout", timeout);
        }
        return request;
    }
}
