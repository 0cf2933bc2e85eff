package io.telltale.core.dns;

import io.telltale.core.failure.Evidence;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the delegation diagnosis of one name found: the zone apex, its parent, every authoritative
 * server asked directly and the problems found.
 *
 * @param name the name diagnosed
 * @param apex the zone the name belongs to, or null when no zone could be found
 * @param parent the zone that delegates the apex, or null when unknown
 * @param servers every direct query made to an authoritative server, in order
 * @param findings the problems found, empty when the delegation looks healthy
 * @param complete false when the budget ran out before every check finished
 * @param elapsedMs how long the diagnosis took
 */
public record DelegationReport(String name, String apex, String parent, List<ServerCheck> servers,
        List<DelegationFinding> findings, boolean complete, long elapsedMs) {

    /**
     * One authoritative server asked directly with recursion off.
     *
     * @param zone the zone it was asked about
     * @param nsName the server's NS name
     * @param address the address and port asked
     * @param role {@code child} for the zone's own servers, {@code parent} for the delegating zone's
     * @param outcome what it answered, e.g. {@code NOERROR aa serial=2024010102} or {@code timeout}
     * @param ms how long it took
     */
    public record ServerCheck(String zone, String nsName, String address, String role, String outcome, long ms) {
    }

    public DelegationReport {
        servers = List.copyOf(servers);
        findings = List.copyOf(findings);
    }

    /** Returns whether any finding has this id. */
    public boolean has(String id) {
        return findings.stream().anyMatch(f -> f.id().equals(id));
    }

    /** Returns the report as one {@code delegation} evidence fact. */
    public Evidence toEvidence() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("name", name);
        facts.put("apex", apex == null ? "unknown" : apex);
        facts.put("parent", parent == null ? "unknown" : parent);
        facts.put("complete", complete);
        facts.put("elapsedMs", elapsedMs);
        facts.put("servers", servers.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("zone", s.zone());
            m.put("ns", s.nsName());
            m.put("address", s.address());
            m.put("role", s.role());
            m.put("outcome", s.outcome());
            m.put("ms", s.ms());
            return m;
        }).toList());
        facts.put("findings", findings.stream().map(DelegationFinding::toFacts).toList());
        return Evidence.builder().put("delegation", facts).build();
    }
}
