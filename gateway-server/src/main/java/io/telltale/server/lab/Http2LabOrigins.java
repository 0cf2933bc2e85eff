package io.telltale.server.lab;

import io.telltale.server.lab.origin.Http2FaultOrigin;
import io.telltale.server.lab.origin.Http2FaultOrigin.Fault;
import java.util.Deque;
import java.util.Map;

/** Starts the lab's HTTP/2 origins, each failing streams in one way, by the name their port has in lab.yaml. */
final class Http2LabOrigins {
    private static final Map<String, Fault> ORIGINS = Map.of(
            "h2-stream-reset", Fault.RESET,
            "h2-goaway", Fault.GOAWAY,
            "h2-refused-stream", Fault.REFUSE_EVERY_OTHER);

    private Http2LabOrigins() {
    }

    /** Starts each origin, pushes it onto {@code started} and puts its port as {@code lab.origin.NAME}. */
    static void start(Map<String, String> values, Deque<AutoCloseable> started) throws InterruptedException {
        for (Map.Entry<String, Fault> o : ORIGINS.entrySet()) {
            Http2FaultOrigin origin = Http2FaultOrigin.start(o.getValue());
            started.push(origin);
            values.put("lab.origin." + o.getKey(), Integer.toString(origin.port()));
        }
    }
}
