package io.telltale.core.dns;

import io.telltale.core.failure.Evidence;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the delegation diagnosis of one name found: the zone apex, its parent, every authoritative
 * server asked directly and the problems found. When the name is an alias, the diagnosis follows its CNAME
 * chain and reports the first zone along it where resolution breaks.
 *
 * @param name the name whose zone the findings are about: the origin's name, or the alias target where it breaks
 * @param apex the zone the name belongs to, or null when no zone could be found
 * @param parent the zone that delegates the apex, or null when unknown
 * @param servers every direct query made to an authoritative server, in order
 * @param findings the problems found, empty when the delegation looks healthy
 * @param complete false when the budget ran out before every check finished
 * @param elapsedMs how long the diagnosis took
 * @param chain each name diagnosed from the origin's name to {@code name}, with its zone; one link without an alias
 */
public record DelegationReport(String name, String apex, String parent, List<ServerCheck> servers,
        List<DelegationFinding> findings, boolean complete, long elapsedMs, List<Link> chain) {

    /**
     * One name along the CNAME chain and the zone it belongs to.
     *
     * @param name the name
     * @param zone its zone apex, or null when none could be found
     * @param alias the name's CNAME target as its zone's servers state it, or null at the chain's end
     */
    public record Link(String name, String zone, String alias) {
        /** Returns the link in words: {@code www.example.test (zone example.test) is an alias of edge.cdn.test}. */
        public String describe() {
            return name + " (zone " + (zone == null ? "unknown" : zone) + ")" + (alias == null ? "" : " is an alias of " + alias);
        }
    }

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
        chain = chain == null || chain.isEmpty() ? List.of(new Link(name, apex, null)) : List.copyOf(chain);
    }

    /** Creates the report of a name that is no alias. */
    public DelegationReport(String name, String apex, String parent, List<ServerCheck> servers,
            List<DelegationFinding> findings, boolean complete, long elapsedMs) {
        this(name, apex, parent, servers, findings, complete, elapsedMs, List.of());
    }

    /** Returns the origin's name: the first name of the chain. */
    public String origin() {
        return chain.get(0).name();
    }

    /** Returns whether the findings are about a zone reached through an alias, not the origin name's own zone. */
    public boolean beyondAlias() {
        return chain.size() > 1 && !findings.isEmpty();
    }

    /** Returns the names of the servers of the zone {@code apex} that were asked directly, in order, without repeats. */
    public List<String> apexServers() {
        return servers.stream().filter(s -> s.zone().equals(apex) && s.role().equals("child"))
                .map(s -> s.nsName() + " (" + s.address() + ")").distinct().toList();
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
        if (chain.size() > 1) {
            facts.put("cnameChain", chain.stream().map(Link::describe).toList());
            if (!findings.isEmpty()) {
                facts.put("brokenZone", apex);
            }
        }
        return Evidence.builder().put("delegation", facts).build();
    }
}
