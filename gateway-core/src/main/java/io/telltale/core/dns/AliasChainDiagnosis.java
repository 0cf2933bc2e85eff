package io.telltale.core.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Diagnoses a name's delegation and, while the name's own zone is healthy and the name is an alias, the zone of
 * each CNAME target in turn, so that the report is about the zone where resolution actually breaks.
 */
final class AliasChainDiagnosis {
    private AliasChainDiagnosis() {
    }

    /** Runs the diagnosis along the chain within the budget; blocking, so it runs on the diagnoser's threads. */
    static DelegationReport run(String host, DnsExchange exchange, NameLookup resolvers,
            Function<InetAddress, Integer> ports, Duration budget) {
        long started = System.nanoTime();
        long deadline = started + budget.toNanos();
        List<DelegationReport.Link> chain = new ArrayList<>();
        List<DelegationReport.ServerCheck> checks = new ArrayList<>();
        String name = host;
        while (true) {
            Diagnosis diagnosis = new Diagnosis(name, exchange, resolvers, ports, deadline);
            DelegationReport report = diagnosis.run();
            checks.addAll(report.servers());
            String alias = report.findings().isEmpty() && report.complete() && chain.size() < NameLookup.MAX_CHAIN
                    ? diagnosis.aliasTarget() : null;
            boolean seen = alias != null && (alias.equals(host) || chain.stream().anyMatch(l -> l.name().equals(alias)));
            chain.add(new DelegationReport.Link(name, report.apex(), alias));
            if (alias == null || seen) {
                return new DelegationReport(report.name(), report.apex(), report.parent(), checks, report.findings(),
                        report.complete() && System.nanoTime() - deadline <= 0, (System.nanoTime() - started) / 1_000_000,
                        chain);
            }
            name = alias;
        }
    }
}
