package io.telltale.server.reload;

import io.telltale.core.config.GatewayConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The settings a reload cannot change, because what they shape lives as long as the process: the event loops,
 * the admin listener that takes the reload, the resolver and its cache, the shared cache's bounds, the
 * response buffers held for slow clients, the span exporter and the cluster's peers. A reload that changes one is refused, naming each.
 */
public final class RestartOnlyFields {
    private static final List<Field> FIELDS = List.of(
            new Field("server.ioThreads", c -> c.server().ioThreads()),
            new Field("admin", GatewayConfig::admin),
            new Field("dns", GatewayConfig::dns),
            new Field("cache", GatewayConfig::cache),
            new Field("limits.maxResponseHeaderSize", c -> c.limits().maxResponseHeaderSize()),
            new Field("limits.responseBuffer", c -> c.limits().responseBuffer()),
            new Field("limits.responseBufferTotal", c -> c.limits().responseBufferTotal()),
            new Field("observe.otlp", c -> c.observe().otlp()),
            new Field("cluster", GatewayConfig::cluster));

    private RestartOnlyFields() {
    }

    /** Returns one problem per restart-only setting that differs between the running and the new config. */
    public static List<String> changed(GatewayConfig running, GatewayConfig next) {
        List<String> problems = new ArrayList<>();
        for (Field field : FIELDS) {
            Object was = field.value().apply(running);
            Object is = field.value().apply(next);
            if (!Objects.equals(was, is)) {
                problems.add(field.name() + ": " + shown(is) + " (expected: " + shown(was)
                        + " as running; this setting changes only on restart)");
            }
        }
        return problems;
    }

    /** Shows a scalar as itself and a section, whose text form is long, as "changed". */
    private static String shown(Object value) {
        return value instanceof Record ? "changed" : String.valueOf(value);
    }

    private record Field(String name, Function<GatewayConfig, Object> value) {
    }
}
