package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads and checks the gateway's error responses as a client sees them: headers, Proxy-Status, problem+json. */
final class GatewayErrors {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One Proxy-Status parameter: its key and its value as written on the wire (quoted strings keep quotes). */
    record Param(String key, String raw) {
        /** Returns the value with sf-string quoting removed. */
        String value() {
            if (!raw.startsWith("\"")) {
                return raw;
            }
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < raw.length() - 1; i++) {
                char c = raw.charAt(i);
                out.append(c == '\\' ? raw.charAt(++i) : c);
            }
            return out.toString();
        }
    }

    private GatewayErrors() {
    }

    /** Sends one GET with the given Host and extra header lines (each ending in CRLF) on a new connection. */
    static RawHttp.Response get(int port, String host, String path, String headers) throws IOException {
        try (RawHttp client = new RawHttp(port)) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "\r\n").read();
        }
    }

    /** Sends one GET asking for problem+json. */
    static RawHttp.Response problemGet(int port, String host, String path) throws IOException {
        return get(port, host, path, "Accept: application/problem+json\r\n");
    }

    /** Asserts the headers every generated error carries, and returns the Proxy-Status parameters. */
    static List<Param> assertGatewayError(RawHttp.Response response, int status, String code) {
        assertThat(response.status()).as("status of %s: %s", code, response.bodyText()).isEqualTo(status);
        assertThat(response.header("X-Gateway-Error-Code")).isEqualTo(code);
        assertThat(response.header("X-Cache")).isEqualTo("Error from gateway");
        assertThat(response.header("X-Request-Id")).matches("[0-9a-f]{16}");
        assertThat(response.header("Cache-Status")).isEqualTo("telltale; fwd=miss; detail=\"" + code + "\"");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        String proxyStatus = response.header("Proxy-Status");
        assertThat(proxyStatus).startsWith("telltale; ");
        return proxyStatusParams(proxyStatus);
    }

    /** Returns the problem+json body, after checking its media type and the members every problem has. */
    static Map<String, Object> problem(RawHttp.Response response) throws IOException {
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        Map<String, Object> problem = json(response.bodyText());
        assertThat(problem).containsEntry("type", "/__telltale/errors/" + response.header("X-Gateway-Error-Code"))
                .containsEntry("status", response.status())
                .containsEntry("code", response.header("X-Gateway-Error-Code"))
                .containsEntry("requestId", response.header("X-Request-Id"))
                .containsEntry("instance", "/__telltale/requests/" + response.header("X-Request-Id"));
        return problem;
    }

    /** Returns the evidence member of a trusted problem+json body. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> evidence(Map<String, Object> problem) {
        assertThat(problem).containsKey("evidence");
        return (Map<String, Object>) problem.get("evidence");
    }

    /** Parses a JSON object. */
    static Map<String, Object> json(String text) throws IOException {
        return JSON.readValue(text, new TypeReference<Map<String, Object>>() { });
    }

    /** Returns a parsed JSON value written back indented, as a person reads it. */
    static String pretty(Object value) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    }

    /** Splits one Proxy-Status member (RFC 8941 item with parameters) into its parameters, in order, duplicates kept. */
    static List<Param> proxyStatusParams(String member) {
        List<Param> params = new ArrayList<>();
        int i = skipItem(member, 0);
        while (i < member.length()) {
            assertThat(member.charAt(i)).as("parameter separator in %s", member).isEqualTo(';');
            i++;
            while (i < member.length() && member.charAt(i) == ' ') {
                i++;
            }
            int keyStart = i;
            while (i < member.length() && member.charAt(i) != '=' && member.charAt(i) != ';') {
                i++;
            }
            String key = member.substring(keyStart, i);
            if (i >= member.length() || member.charAt(i) == ';') {
                params.add(new Param(key, "?1"));
                continue;
            }
            int valueStart = ++i;
            i = skipItem(member, i);
            params.add(new Param(key, member.substring(valueStart, i)));
        }
        return params;
    }

    /** Returns the value of the only parameter with this key, or null when there is none. */
    static String param(List<Param> params, String key) {
        List<Param> matching = params.stream().filter(p -> p.key().equals(key)).toList();
        assertThat(matching).as("Proxy-Status parameters named %s", key).hasSizeLessThanOrEqualTo(1);
        return matching.isEmpty() ? null : matching.get(0).value();
    }

    /** Returns the keys of the parameters, in order. */
    static List<String> keys(List<Param> params) {
        return params.stream().map(Param::key).toList();
    }

    private static int skipItem(String s, int i) {
        if (i < s.length() && s.charAt(i) == '"') {
            i++;
            while (s.charAt(i) != '"') {
                i += s.charAt(i) == '\\' ? 2 : 1;
            }
            return i + 1;
        }
        while (i < s.length() && s.charAt(i) != ';') {
            i++;
        }
        return i;
    }
}
