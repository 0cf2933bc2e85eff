package io.telltale.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.core.failure.FailureCode;
import io.telltale.core.profile.CdnProfile;
import io.telltale.core.profile.VendorAnswer;
import io.telltale.server.lab.LabScenario;
import io.telltale.server.lab.LabScenarios;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every catalogue entry is shown by a lab scenario, or is listed here with the reason it is not. */
class LabCoverageTest {
    private static final String CLIENT = "a visitor's own malformed, slow or oversized request, not a site's fault: "
            + "no link can send it; ClientLimitsTest and MalformedRequestTest produce each one for real";

    private static final String HTTP2_CLIENT = "a visitor's HTTP/2 client flooding or breaking the protocol, not a "
            + "site's fault: no link can send it; Http2EdgeTest produces each one for real";

    private static final Map<FailureCode, String> NOT_IN_THE_LAB = Map.ofEntries(
            Map.entry(FailureCode.MALFORMED_REQUEST, CLIENT),
            Map.entry(FailureCode.AMBIGUOUS_REQUEST_FRAMING, CLIENT),
            Map.entry(FailureCode.REQUEST_HEADER_TIMEOUT, CLIENT),
            Map.entry(FailureCode.REQUEST_BODY_TOO_LARGE, CLIENT),
            Map.entry(FailureCode.REQUEST_URI_TOO_LONG, CLIENT),
            Map.entry(FailureCode.REQUEST_HEADER_TOO_LARGE, CLIENT),
            Map.entry(FailureCode.METHOD_NOT_ALLOWED, CLIENT),
            Map.entry(FailureCode.HTTP_VERSION_NOT_SUPPORTED, CLIENT),
            Map.entry(FailureCode.HTTP2_STREAM_LIMIT, HTTP2_CLIENT),
            Map.entry(FailureCode.HTTP2_HEADER_LIST_TOO_LARGE, HTTP2_CLIENT),
            Map.entry(FailureCode.HTTP2_CONTINUATION_FLOOD, HTTP2_CLIENT),
            Map.entry(FailureCode.HTTP2_FRAME_FLOOD, HTTP2_CLIENT),
            Map.entry(FailureCode.HTTP2_RAPID_RESET, HTTP2_CLIENT),
            Map.entry(FailureCode.HTTP2_PROTOCOL_ERROR, HTTP2_CLIENT),
            Map.entry(FailureCode.ORIGIN_PORT_NOT_ALLOWED, "a disallowed origin port is refused when the config loads "
                    + "(ConfigValidationTest), so no running site can have one; only the diagnosis probe reports it"),
            Map.entry(FailureCode.ORIGIN_UNREACHABLE, "the tcp-unreachable scenario needs a network namespace the lab's "
                    + "gateway cannot enter; OriginUnreachableTest makes it real inside one"),
            Map.entry(FailureCode.GATEWAY_INTERNAL_ERROR, "it is a bug of the gateway by definition: nothing honest produces it "
                    + "on purpose"),
            Map.entry(FailureCode.NO_HEALTHY_ORIGIN, "it follows only an earlier 503 with Retry-After from every origin, so a "
                    + "link's first visit would show that 503 instead; RetryBudgetTest makes it real"),
            Map.entry(FailureCode.REQUEST_BODY_TIMEOUT, "a visitor's own stalled or trickling upload, not a site's fault: "
                    + "no link can send it; RequestBodyTimeoutTest produces it for real over HTTP/1.1 and HTTP/2"),
            Map.entry(FailureCode.ORIGIN_UPGRADE_UNSUPPORTED, "it needs a request that asks for an upgrade, which a "
                    + "link cannot send; Http2OriginTest makes it real against an h2c origin"),
            Map.entry(FailureCode.RETRY_BUDGET_EXHAUSTED, "it takes a burst of concurrent failing requests, which one link "
                    + "cannot send; RetryBudgetTest makes it real"));

    @Test
    void everyCatalogueEntryIsShownByAScenarioOrExcusedWithAReason() {
        Set<FailureCode> shown = LabScenarios.all().stream().filter(LabScenario::available).map(LabScenario::code)
                .filter(c -> c != null).collect(Collectors.toCollection(() -> EnumSet.noneOf(FailureCode.class)));

        Set<FailureCode> neither = EnumSet.allOf(FailureCode.class);
        neither.removeAll(shown);
        neither.removeAll(NOT_IN_THE_LAB.keySet());
        assertThat(neither).as("codes no scenario shows and no reason excuses").isEmpty();
        assertThat(shown).as("codes both shown and excused").doesNotContainAnyElementsOf(NOT_IN_THE_LAB.keySet());
    }

    @Test
    void scenarioNamesAreUniqueSiteNames() {
        assertThat(LabScenarios.all()).extracting(LabScenario::name).doesNotHaveDuplicates()
                .allMatch(name -> name.matches("[a-z0-9]+(-[a-z0-9]+)*"));
    }

    @Test
    void everyGatewayErrorScenarioNamesACodeOfItsStatusAndPhase() {
        assertThat(LabScenarios.all()).filteredOn(s -> s.outcome() == LabScenario.Outcome.ERROR).allSatisfy(s -> {
            assertThat(s.status()).isEqualTo(expectedStatus(s));
            assertThat(s.phase()).isEqualTo(s.code().phase());
            assertThat(s.proxyStatusError()).isNotBlank();
        });
    }

    /** Returns the code's status, or under a CDN profile (the scenario's name ends with it) that CDN's answer's. */
    private static int expectedStatus(LabScenario s) {
        for (CdnProfile p : CdnProfile.vendors()) {
            VendorAnswer answer = p.spec().answer(s.code().code());
            if (s.name().startsWith("cdn-") && s.name().endsWith("-" + p.configName()) && answer != null
                    && answer.statusKnown()) {
                return answer.status();
            }
        }
        return s.code().status();
    }
}
