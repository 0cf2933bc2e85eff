package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.netty.handler.codec.http.FullHttpRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC through the real gateway on loopback: a grpc-java client and a hand-built grpc-java service on an h2c
 * origin, with the origin's status in trailers passed through, and the gateway's own failures (refused origin,
 * timeout) answered trailers-only with a gRPC status a grpc-java client reads.
 */
class GrpcTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<String, String> SAY = method("Say");
    private static final MethodDescriptor<String, String> MISSING = method("Missing");
    private static final MethodDescriptor<String, String> HANG = method("Hang");

    private final List<Long> hangDeadlines = new CopyOnWriteArrayList<>();
    private Server service;
    private int closedPort;
    private GatewayFixture gateway;
    private ManagedChannel channel;

    private static MethodDescriptor<String, String> method(String name) {
        return MethodDescriptor.<String, String>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("telltale.Echo", name))
                .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
    }

    @BeforeEach
    void start() throws Exception {
        ServerServiceDefinition echo = ServerServiceDefinition.builder("telltale.Echo")
                .addMethod(SAY, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext("hello " + request);
                    response.onCompleted();
                }))
                .addMethod(MISSING, ServerCalls.asyncUnaryCall((request, response) -> response.onError(
                        Status.NOT_FOUND.withDescription("no such greeting: " + request).asRuntimeException())))
                // Never answers: the origin's response timeout or the call's deadline ends the call.
                .addMethod(HANG, ServerCalls.asyncUnaryCall((request, response) -> {
                    Deadline deadline = Context.current().getDeadline();
                    hangDeadlines.add(deadline == null ? -1 : deadline.timeRemaining(TimeUnit.MILLISECONDS));
                }))
                .build();
        service = NettyServerBuilder.forAddress(new InetSocketAddress(LOOPBACK, 0)).addService(echo).build().start();
        try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = probe.getLocalPort();
        }
        gateway = GatewayFixture.start("""
                server:
                  bindAddress: 127.0.0.1
                  httpPort: 0
                  drainTimeout: 2s
                admin: {port: 0}
                sites:
                %s%s""".formatted(site("grpc", service.getPort()), site("down", closedPort)));
        channel = NettyChannelBuilder.forAddress(new InetSocketAddress(LOOPBACK, gateway.port())).usePlaintext()
                .build();
    }

    private static String site(String name, int port) {
        return """
                  - name: %s
                    hosts: [%s.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins:
                      - host: 127.0.0.1
                        protocol: h2c
                        httpPort: %d
                        connectTimeout: 2s
                        responseTimeout: 1s
                """.formatted(name, name, port);
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        gateway.close();
        service.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private String call(String host, MethodDescriptor<String, String> method, String request) {
        return ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT.withAuthority(host)
                .withDeadlineAfter(10, TimeUnit.SECONDS), request);
    }

    @Test
    void aCallPassesThroughToAnH2cServiceAndItsStatusTrailersComeBack() throws IOException {
        assertThat(call("grpc.test", SAY, "world")).isEqualTo("hello world");

        StatusRuntimeException missing = catchThrowableOfType(StatusRuntimeException.class,
                () -> call("grpc.test", MISSING, "mars"));
        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(missing.getStatus().getDescription()).isEqualTo("no such greeting: mars");
        assertThat(metrics()).contains("protocol=\"grpc\"");
    }

    @Test
    void aRefusedOriginIsUnavailableInATrailersOnlyAnswerNamingTheCode() {
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> call("down.test", SAY, "world"));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(refused.getStatus().getDescription()).startsWith("OriginConnectionRefused: ");
        Metadata trailers = refused.getTrailers();
        assertThat(trailers.get(key("x-gateway-error-code"))).isEqualTo("OriginConnectionRefused");
        assertThat(trailers.get(key("proxy-status"))).startsWith("telltale; error=connection_refused");
        assertThat(trailers.get(key("x-request-id"))).matches("[0-9a-f]{16}");
    }

    @Test
    void anOriginTimeoutIsDeadlineExceededInATrailersOnlyAnswer() {
        StatusRuntimeException timedOut = catchThrowableOfType(StatusRuntimeException.class,
                () -> call("grpc.test", HANG, "world"));

        assertThat(timedOut.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        assertThat(timedOut.getStatus().getDescription()).startsWith("OriginResponseTimeout: ");
        assertThat(timedOut.getTrailers().get(key("x-gateway-error-code"))).isEqualTo("OriginResponseTimeout");
    }

    @Test
    void theClientsGrpcTimeoutBoundsTheOriginAttemptAndIsPassedOnReduced() {
        StatusRuntimeException timedOut = catchThrowableOfType(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(channel, HANG, CallOptions.DEFAULT.withAuthority("grpc.test")
                        .withDeadlineAfter(600, TimeUnit.MILLISECONDS), "world"));

        assertThat(timedOut.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        // The service's own deadline comes from the grpc-timeout the gateway sent: what the client's had left.
        assertThat(hangDeadlines).singleElement().satisfies(left -> assertThat(left).isBetween(1L, 600L));
    }

    @Test
    void aGrpcTimeoutShorterThanTheOriginsResponseTimeoutEndsTheAttemptAsDeadlineExceeded() throws Exception {
        H2Client.Response answer = rawCall("/telltale.Echo/Hang", "300m");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("grpc-status")).isEqualTo("4");
        assertThat(answer.header("x-gateway-error-code")).isEqualTo("OriginResponseTimeout");
        assertThat(answer.header("proxy-status")).startsWith("telltale; error=http_response_timeout");
        assertThat(answer.header("grpc-message")).startsWith("OriginResponseTimeout: ")
                .contains("grpc-timeout of 300 ms");
        assertThat(hangDeadlines).singleElement().satisfies(left -> assertThat(left).isBetween(1L, 300L));
    }

    @Test
    void aMalformedGrpcTimeoutIsRefusedAsInternalNamingTheHeader() throws Exception {
        for (String malformed : List.of("123456789S", "5s", "-1S", "S")) {
            H2Client.Response answer = rawCall("/telltale.Echo/Say", malformed);

            assertThat(answer.header("grpc-status")).as(malformed).isEqualTo("13");
            assertThat(answer.header("x-gateway-error-code")).isEqualTo("MalformedRequest");
            assertThat(answer.header("grpc-message")).startsWith("MalformedRequest: ").contains("grpc-timeout");
        }
        assertThat(rawCall("/telltale.Echo/Say", "99999999H").trailers().get("grpc-status")).isEqualTo("0");
    }

    /** Sends one gRPC call with this grpc-timeout through Netty's HTTP/2 client, which keeps no deadline itself. */
    private H2Client.Response rawCall(String path, String grpcTimeout) throws Exception {
        byte[] message = "world".getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[5 + message.length];
        frame[4] = (byte) message.length;
        System.arraycopy(message, 0, frame, 5, message.length);
        try (H2Client client = H2Client.cleartext(gateway.port())) {
            FullHttpRequest call = H2Client.post("grpc.test", path, frame);
            call.headers().set("content-type", "application/grpc").set("te", "trailers")
                    .set("grpc-timeout", grpcTimeout);
            return client.send(call);
        }
    }

    private static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }

    private String metrics() throws IOException {
        try (RawHttp admin = new RawHttp(gateway.adminPort())) {
            return admin.send("GET /metrics HTTP/1.1\r\nHost: admin\r\n\r\n").read().bodyText();
        }
    }
}
