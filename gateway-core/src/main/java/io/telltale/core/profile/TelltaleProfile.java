package io.telltale.core.profile;

import java.util.List;
import java.util.Map;

/** The gateway's own behaviour: no origin setting is changed and every failure answers with the catalogue's status. */
final class TelltaleProfile {
    private static final String OWN = "Telltale's own (config defaults)";

    static final ProfileSpec SPEC = new ProfileSpec("Telltale", Map.of(), null, List.of(), List.of(), OWN,
            Sourced.of(1, OWN), Sourced.of(List.of(), OWN), Sourced.unknown("the JDK's default groups"),
            Sourced.of(List.of(), "the gateway's own limits"), Sourced.of(List.of(), OWN), Sourced.of(List.of(), OWN),
            Sourced.of("the gateway's own errors briefly, beside any stored copy", OWN), null, Map.of(), Map.of());

    private TelltaleProfile() {
    }
}
