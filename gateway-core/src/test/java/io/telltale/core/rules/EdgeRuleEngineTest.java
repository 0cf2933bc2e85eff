package io.telltale.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.telltale.core.config.EdgeRule;
import io.telltale.core.config.EdgeRulesConfig;
import io.telltale.core.config.RuleAction;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeRuleEngineTest {
    private final HttpHeaders request = new DefaultHttpHeaders().add("X-Tenant", "acme").add("Cookie", "a=1");
    private final RuleContext ctx = new RuleContext("127.0.0.9", "www.example", "/shop/cart", "req-7", request);

    @Test
    void variablesAreFilledWhenSetOnTheViewerRequest() {
        EdgeRuleEngine engine = viewer(new EdgeRule("tag", "X-Edge", RuleAction.SET,
                "${client.address}|${request.host}|${request.path}|${request.id}|${request.header.x-tenant}|${request.header.absent}"));
        HttpHeaders headers = new DefaultHttpHeaders().add("X-Edge", "old").add("X-Edge", "older");

        Failure failure = engine.applyViewerRequest(headers, ctx);

        assertThat(failure).isNull();
        assertThat(headers.getAll("X-Edge")).containsExactly("127.0.0.9|www.example|/shop/cart|req-7|acme|");
    }

    @Test
    void addKeepsAndRemoveDropsWhenAppliedToTheOriginResponse() {
        EdgeRuleEngine engine = EdgeRuleEngine.of(new EdgeRulesConfig(List.of(), List.of(
                new EdgeRule(null, "Vary", RuleAction.ADD, "Accept-Encoding"),
                new EdgeRule(null, "Server", RuleAction.REMOVE, null),
                new EdgeRule(null, "Strict-Transport-Security", RuleAction.SET, "max-age=63072000"))));
        HttpHeaders response = new DefaultHttpHeaders().add("Vary", "Origin").add("Server", "nginx/1.2");

        assertThat(engine.applyOriginResponse(response, ctx)).isNull();

        assertThat(response.getAll("Vary")).containsExactly("Origin", "Accept-Encoding");
        assertThat(response.contains("Server")).isFalse();
        assertThat(response.get("Strict-Transport-Security")).isEqualTo("max-age=63072000");
        assertThat(engine.applyViewerRequest(request, ctx)).isNull();
        assertThat(request.names()).containsExactlyInAnyOrder("X-Tenant", "Cookie");
    }

    @Test
    void controlCharacterFromAVariableIsAValidationErrorWhenApplied() {
        EdgeRuleEngine engine = viewer(new EdgeRule(null, "X-A", RuleAction.SET, "fixed"),
                new EdgeRule(null, "X-Path", RuleAction.SET, "p=${request.path}"));
        RuleContext bad = new RuleContext("127.0.0.9", "www.example", "/a\u0001b", "req-8", request);

        Failure failure = engine.applyViewerRequest(new DefaultHttpHeaders(), bad);

        assertThat(failure.code()).isEqualTo(FailureCode.FUNCTION_VALIDATION_ERROR);
        assertThat(failure.evidence().facts())
                .containsEntry("rule", "viewerRequest[1]")
                .containsEntry("variable", "${request.path}")
                .containsEntry("header", "X-Path")
                .containsEntry("reason", "it contains the control character 0x01");
        assertThat(failure.detail()).contains("viewerRequest[1]", "${request.path}");
    }

    @Test
    void overlongValueNamesTheRuleByNameWhenApplied() {
        EdgeRuleEngine engine = viewer(new EdgeRule("copy-cookie", "X-Copy", RuleAction.SET, "${request.header.cookie}"));
        HttpHeaders big = new DefaultHttpHeaders().add("Cookie", "c".repeat(9000));

        Failure failure = engine.applyViewerRequest(new DefaultHttpHeaders(), new RuleContext("a", "h", "/", "r", big));

        assertThat(failure.evidence().get("rule")).isEqualTo("copy-cookie");
        assertThat(failure.evidence().get("variable")).isEqualTo("${request.header.cookie}");
        assertThat((String) failure.evidence().get("reason")).contains("8192");
    }

    @Test
    void unknownVariableIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> viewer(new EdgeRule(null, "X-A", RuleAction.SET, "${request.hots}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("viewerRequest[0].value: ${request.hots} (expected: ${client.address}");
    }

    @Test
    void badRulesAreRefusedWithTheFieldNamedWhenBuilt() {
        assertThatThrownBy(() -> viewer(new EdgeRule(null, "X-A", RuleAction.SET, "${request.host")))
                .hasMessageStartingWith("viewerRequest[0].value: ${request.host (expected: a closing }");
        assertThatThrownBy(() -> viewer(new EdgeRule(null, "Bad Header", RuleAction.SET, "x")))
                .hasMessage("viewerRequest[0].header: Bad Header (expected: an HTTP field name)");
        assertThatThrownBy(() -> viewer(new EdgeRule(null, "Content-Length", RuleAction.SET, "1")))
                .hasMessage("viewerRequest[0].header: Content-Length (expected: a header that does not frame or route the message)");
        assertThatThrownBy(() -> viewer(new EdgeRule(null, "via", RuleAction.REMOVE, null)))
                .hasMessage("viewerRequest[0].header: via (expected: a header that does not frame or route the message)");
        assertThatThrownBy(() -> viewer(new EdgeRule(null, "X-A", RuleAction.ADD, null)))
                .hasMessage("viewerRequest[0].value: missing (expected: a value for add)");
        assertThatThrownBy(() -> viewer(new EdgeRule(null, "X-A", RuleAction.SET, "a\nb")))
                .hasMessage("viewerRequest[0].value: it contains the control character 0x0a (expected: printable text)");
        assertThatThrownBy(() -> viewer(new EdgeRule(null, "X-A", RuleAction.SET, "${request.header.}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noRulesMakeAnEmptyEngineWhenConfigIsAbsent() {
        assertThat(EdgeRuleEngine.of(null).isEmpty()).isTrue();
        assertThat(EdgeRuleEngine.of(new EdgeRulesConfig(null, List.of())).isEmpty()).isTrue();
    }

    private static EdgeRuleEngine viewer(EdgeRule... rules) {
        return EdgeRuleEngine.of(new EdgeRulesConfig(List.of(rules), List.of()));
    }
}
