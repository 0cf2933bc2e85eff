package io.telltale.core.dns;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One problem found in a zone's delegation, named as DNSViz names it.
 *
 * @param id the finding's identifier, e.g. {@code SERVER_NOT_AUTHORITATIVE}, {@code TIMEOUT}, {@code NS_SET_MISMATCH}
 * @param sentence what was found, in one sentence naming the server and the zone
 * @param command the {@code dig} command that repeats the check
 */
public record DelegationFinding(String id, String sentence, String command) {

    /** Returns the finding as evidence facts. */
    public Map<String, Object> toFacts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("id", id);
        facts.put("finding", sentence);
        facts.put("repeat", command);
        return facts;
    }
}
