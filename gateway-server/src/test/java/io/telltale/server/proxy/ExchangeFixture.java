package io.telltale.server.proxy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.telltale.core.config.ConfigLoader;
import io.telltale.server.GatewayAssembly;
import io.telltale.server.edge.Transport;
import java.net.InetAddress;

/** Builds a gateway from YAML and exchanges for it, so that a phase is tested without sockets. */
final class ExchangeFixture implements AutoCloseable {
    final Gateway gateway;
    final ProxyPhases phases;

    ExchangeFixture(String yaml) {
        gateway = new GatewayAssembly(null).assemble(ConfigLoader.parse(yaml, "test.yaml"), Transport.best());
        phases = new ProxyPhases(gateway);
    }

    /** Returns a gateway with one site for {@code www.test} in front of a closed loopback port. */
    static ExchangeFixture oneSite(String extraSiteYaml) {
        return new ExchangeFixture("""
                server: {httpPort: 0}
                admin: {port: 0}
                dns: {resolvers: [127.0.0.1]}
                sites:
                  - name: www
                    hosts: [www.test]
                    detail: full
                    allowedOriginNetworks: [127.0.0.0/8]
                    origins: [{host: 127.0.0.1, httpPort: 1025}]
                """ + extraSiteYaml);
    }

    /** Returns a GET for the path with the given Host and extra headers as name, value pairs. */
    static HttpRequest get(String host, String path, String... headers) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        request.headers().set("Host", host);
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    /** Returns a new exchange of the request from 127.0.0.1 on the plain listener. */
    ProxyExchange exchange(HttpRequest request, Downstream downstream) {
        return new ProxyExchange(new RequestFacts(RequestIds.next(), gateway.epochClock().getAsLong(),
                gateway.nanoClock().getAsLong(), request, InetAddress.getLoopbackAddress(), "127.0.0.1", false, false),
                downstream);
    }

    @Override
    public void close() {
        gateway.close();
    }
}
