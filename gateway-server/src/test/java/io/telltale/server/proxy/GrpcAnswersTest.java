package io.telltale.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.telltale.core.failure.FailureCode;
import org.junit.jupiter.api.Test;

class GrpcAnswersTest {
    private static HttpRequest withType(String type) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/svc/Method");
        if (type != null) {
            request.headers().set("content-type", type);
        }
        return request;
    }

    @Test
    void recognisesGrpcContentTypesOnly() {
        assertThat(GrpcAnswers.isGrpc(withType("application/grpc"))).isTrue();
        assertThat(GrpcAnswers.isGrpc(withType("application/grpc+proto"))).isTrue();
        assertThat(GrpcAnswers.isGrpc(withType("Application/GRPC; charset=utf-8"))).isTrue();
        assertThat(GrpcAnswers.isGrpc(withType("application/grpc-web"))).isFalse();
        assertThat(GrpcAnswers.isGrpc(withType("application/json"))).isFalse();
        assertThat(GrpcAnswers.isGrpc(withType(null))).isFalse();
    }

    @Test
    void mapsTimeoutsToDeadlineExceededAndGatewayFailuresToUnavailable() {
        assertThat(GrpcAnswers.status(FailureCode.ORIGIN_RESPONSE_TIMEOUT)).isEqualTo(4);
        assertThat(GrpcAnswers.status(FailureCode.ORIGIN_CONNECT_TIMEOUT)).isEqualTo(4);
        assertThat(GrpcAnswers.status(FailureCode.ORIGIN_CONNECTION_REFUSED)).isEqualTo(14);
        assertThat(GrpcAnswers.status(FailureCode.ORIGIN_STREAM_RESET)).isEqualTo(14);
        assertThat(GrpcAnswers.status(FailureCode.HTTP2_STREAM_LIMIT)).isEqualTo(14);
        assertThat(GrpcAnswers.status(FailureCode.MALFORMED_REQUEST)).isEqualTo(13);
        assertThat(GrpcAnswers.status(FailureCode.REQUEST_BODY_TOO_LARGE)).isEqualTo(2);
    }

    @Test
    void percentEncodesNonPrintableBytesAndThePercentSign() {
        assertThat(GrpcAnswers.percentEncode("OriginGoAway: 100% gone\nnaïve"))
                .isEqualTo("OriginGoAway: 100%25 gone%0Ana%C3%AFve");
    }
}
