package io.telltale.core.failure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of failures: RFC 9457 problem details, catalogue entries and journal records.
 *
 * <p>Each shape is built as ordered maps of plain values and written with one shared Jackson mapper,
 * so that evidence holding an unexpected type is written as its text rather than as a bean.
 */
public final class FailureJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private FailureJson() {
    }

    /** Returns the problem details object for an error view (RFC 9457 plus Telltale's members). */
    public static Map<String, Object> problem(ErrorView view) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", view.typeUri());
        p.put("title", view.code().title());
        p.put("status", view.status());
        p.put("detail", view.detail());
        p.put("instance", ErrorResponseRenderer.REQUESTS_PATH + view.requestId());
        p.put("code", view.code().code());
        p.put("edgeError", view.code().edgeNumber());
        p.put("phase", view.code().phase().label());
        p.put("advice", view.code().visitorAdvice());
        if (view.trusted()) {
            p.put("site", view.site());
            p.put("origin", view.origin());
            p.put("evidence", plain(view.evidence()));
            p.put("remediation", view.remediation());
            p.put("timeline", steps(view.steps()));
            if (!view.attempts().isEmpty()) {
                p.put("attempts", attempts(view.attempts()));
            }
        }
        p.put("alsoKnownAs", alsoKnownAs(view.code()));
        p.put("requestId", view.requestId());
        return p;
    }

    /** Returns a catalogue entry with every field, placeholders left in the owner advice. */
    public static Map<String, Object> entry(FailureCode code) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code.code());
        e.put("title", code.title());
        e.put("status", code.status());
        e.put("edgeError", code.edgeNumber());
        e.put("phase", code.phase().label());
        e.put("proxyStatus", code.proxyStatusError());
        e.put("meaning", code.meaning());
        e.put("visitorAdvice", code.visitorAdvice());
        e.put("ownerAdvice", code.ownerAdvice());
        e.put("alsoKnownAs", alsoKnownAs(code));
        return e;
    }

    /** Returns a failure with its evidence and remediation, for the journal. */
    public static Map<String, Object> failure(Failure failure) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("code", failure.code().code());
        f.put("status", failure.code().status());
        f.put("phase", failure.code().phase().label());
        f.put("proxyStatusError", failure.proxyStatusError());
        f.put("proxyStatusParams", plain(failure.proxyStatusParams()));
        f.put("detail", failure.detail());
        f.put("evidence", plain(failure.evidence().facts()));
        f.put("remediation", failure.remediation());
        return f;
    }

    /** Returns the value as UTF-8 JSON bytes. */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the value as a JSON string. */
    public static String writeString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns origin attempts as a list of ordered objects. */
    static List<Map<String, Object>> attempts(List<AttemptRecord> attempts) {
        return attempts.stream().map(AttemptRecord::facts).toList();
    }

    private static Map<String, String> alsoKnownAs(FailureCode code) {
        Map<String, String> names = new LinkedHashMap<>();
        for (AlsoKnownAs a : code.alsoKnownAs()) {
            names.put(a.vendor(), a.name());
        }
        return names;
    }

    private static List<Map<String, Object>> steps(List<HopStrip.Step> steps) {
        List<Map<String, Object>> out = new ArrayList<>(steps.size());
        for (HopStrip.Step s : steps) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", s.name());
            m.put("state", s.state().label());
            if (s.millis() >= 0) {
                m.put("millis", s.millis());
            }
            out.add(m);
        }
        return out;
    }

    /** Returns the value with every map, list and scalar kept and anything else turned into text. */
    static Object plain(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (value instanceof Iterable<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(plain(v)));
            return out;
        }
        return String.valueOf(value);
    }
}
