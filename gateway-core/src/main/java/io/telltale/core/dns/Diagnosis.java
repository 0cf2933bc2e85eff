package io.telltale.core.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** One run of the delegation diagnosis of one name; blocking, so it runs on the diagnoser's own threads. */
final class Diagnosis {
    private record Server(Name ns, InetAddress address) {
    }

    private record Referral(Name apex, Set<Name> ns, Map<Name, List<InetAddress>> glue, DnsServerAddress from) {
    }

    private final String host;
    private final Name name;
    private final DnsExchange exchange;
    private final NameLookup resolvers;
    private final Function<InetAddress, Integer> ports;
    private final long started = System.nanoTime();
    private final long deadline;
    private final List<DelegationFinding> findings = Collections.synchronizedList(new ArrayList<>());
    private final List<DelegationReport.ServerCheck> checks = Collections.synchronizedList(new ArrayList<>());
    private String apex;
    private String parent;
    private String alias;

    Diagnosis(String host, DnsExchange exchange, NameLookup resolvers, Function<InetAddress, Integer> ports, long deadline) {
        this.host = host;
        this.name = DelegationDiagnoser.absolute(host);
        this.exchange = exchange;
        this.resolvers = resolvers;
        this.ports = ports;
        this.deadline = deadline;
    }

    DelegationReport run() {
        boolean complete = diagnose();
        return new DelegationReport(host, apex, parent, checks, findings, complete, (System.nanoTime() - started) / 1_000_000);
    }

    private boolean diagnose() {
        Name zone = zoneOf(name);
        if (zone == null) {
            if (expired()) {
                return false;
            }
            add("NO_ZONE_FOUND", "No resolver could name the zone of " + host
                    + ": every SOA query up to the top-level domain failed.", "dig " + host + " SOA");
            return true;
        }
        List<Server> zoneServers = servers(zone);
        Referral below = name.equals(zone) ? null : referral(zoneServers, zone, name, Type.SOA, "zone");
        Name child;
        Referral referral;
        List<Server> childServers;
        if (below != null) {
            child = below.apex();
            parent = text(zone);
            referral = below;
            childServers = new ArrayList<>();
        } else {
            child = zone;
            childServers = zoneServers;
            referral = null;
            if (child.labels() > 2 && !expired()) {
                Name parentZone = zoneOf(new Name(child, 1));
                if (parentZone != null) {
                    parent = text(parentZone);
                    referral = referral(servers(parentZone), parentZone, child, Type.NS, "parent");
                }
            }
        }
        apex = text(child);
        if (expired()) {
            return false;
        }
        checkServers(child, referral, childServers);
        if (expired()) {
            return false;
        }
        checkDnssec();
        return !expired();
    }

    /**
     * Returns the target of the name's CNAME as its zone's own servers stated it when asked with recursion off (so
     * no resolver's failure hides it), or null when the name is no alias or no server of its zone said so.
     */
    String aliasTarget() {
        return alias;
    }

    /** Walks up from the name to the top-level domain asking the resolvers for an SOA; never asks about the root. */
    private Name zoneOf(Name start) {
        for (Name candidate = start; candidate.labels() > 1 && !expired(); candidate = new Name(candidate, 1)) {
            DnsOutcome o = resolvers.ask(candidate, Type.SOA, false).join();
            if (o.answer() != null) {
                for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
                    for (Record r : o.answer().reply().getSection(section)) {
                        if (r instanceof SOARecord soa) {
                            return soa.getName();
                        }
                    }
                }
            }
        }
        return null;
    }

    /** Returns the zone's name servers with their addresses, both found through the resolvers. */
    private List<Server> servers(Name zone) {
        DnsOutcome o = resolvers.ask(zone, Type.NS, false).join();
        List<Server> servers = new ArrayList<>();
        if (o.answer() == null) {
            return servers;
        }
        for (Record r : o.answer().reply().getSection(Section.ANSWER)) {
            if (r instanceof NSRecord ns && r.getName().equals(zone)) {
                for (InetAddress a : addresses(ns.getTarget(), zone, false)) {
                    servers.add(new Server(ns.getTarget(), a));
                }
            }
        }
        return servers;
    }

    /** Asks each server with recursion off; returns the first referral to a zone below {@code zone}. */
    private Referral referral(List<Server> servers, Name zone, Name qname, int type, String role) {
        List<CompletableFuture<DnsAttempt>> probes = servers.stream().map(s -> probe(s, qname, type)).toList();
        Referral found = null;
        for (int i = 0; i < probes.size(); i++) {
            DnsAttempt a = probes.get(i).join();
            record(zone, servers.get(i), role, a, describe(a));
            if (alias == null && a.authoritative() && qname.equals(name)) {
                alias = cnameTarget(a);
            }
            if (found == null && a.reply() != null && !a.authoritative() && a.rcode() == Rcode.NOERROR) {
                found = referralIn(a, zone, qname);
            }
        }
        return found;
    }

    private static Referral referralIn(DnsAttempt a, Name zone, Name qname) {
        Name cut = null;
        Set<Name> ns = new LinkedHashSet<>();
        for (Record r : a.reply().getSection(Section.AUTHORITY)) {
            if (r instanceof NSRecord n && r.getName().subdomain(zone) && !r.getName().equals(zone)
                    && qname.subdomain(r.getName())) {
                cut = r.getName();
                ns.add(n.getTarget());
            }
        }
        if (cut == null) {
            return null;
        }
        Map<Name, List<InetAddress>> glue = new LinkedHashMap<>();
        for (Record r : a.reply().getSection(Section.ADDITIONAL)) {
            InetAddress address = r instanceof ARecord ar ? ar.getAddress() : r instanceof AAAARecord q ? q.getAddress() : null;
            if (address != null && ns.contains(r.getName())) {
                glue.computeIfAbsent(r.getName(), k -> new ArrayList<>()).add(address);
            }
        }
        return new Referral(cut, ns, glue, a.server());
    }

    private void checkServers(Name child, Referral referral, List<Server> fromResolver) {
        Set<Name> nsNames = new LinkedHashSet<>();
        if (referral != null) {
            nsNames.addAll(referral.ns());
        }
        fromResolver.forEach(s -> nsNames.add(s.ns()));
        List<Server> servers = new ArrayList<>();
        for (Name ns : nsNames) {
            List<InetAddress> glue = referral == null ? List.of() : referral.glue().getOrDefault(ns, List.of());
            if (referral != null && ns.subdomain(child) && glue.isEmpty()) {
                add("MISSING_GLUE_FOR_NS_NAME", "The parent zone " + parent + " delegates " + text(child) + " to "
                        + text(ns) + ", which is inside " + text(child) + ", but gives no glue address for it.",
                        "dig " + text(child) + " NS " + referral.from().digTarget() + " +norecurse");
            }
            List<InetAddress> addresses = glue.isEmpty() ? addresses(ns, child, true) : glue;
            addresses.forEach(a -> servers.add(new Server(ns, a)));
        }
        List<CompletableFuture<DnsAttempt>> probes = servers.stream().map(s -> probe(s, child, Type.SOA)).toList();
        Map<String, Long> serials = new LinkedHashMap<>();
        Server firstAuthoritative = null;
        for (int i = 0; i < probes.size(); i++) {
            Server s = servers.get(i);
            DnsAttempt a = probes.get(i).join();
            SOARecord soa = soaAnswer(a, child);
            record(child, s, "child", a, describe(a) + (soa == null ? "" : " serial=" + soa.getSerial()));
            String where = text(s.ns()) + " (" + a.server().label() + ")";
            String dig = "dig " + text(child) + " SOA " + a.server().digTarget() + " +norecurse";
            if (a.timedOut()) {
                add("TIMEOUT", where + " did not answer SOA " + text(child) + " within " + a.elapsedMs() + " ms.", dig);
            } else if (a.reply() == null) {
                add("SERVER_UNRESPONSIVE_UDP", where + " could not be reached: " + a.outcome() + ".", dig);
            } else if (a.rcode() == Rcode.REFUSED) {
                add("SERVER_REFUSED", where + " refused to answer for " + text(child) + ": it does not serve the zone.", dig);
            } else if (a.rcode() == Rcode.SERVFAIL) {
                add("SERVER_SERVFAIL", where + " answered SERVFAIL for " + text(child) + ".", dig);
            } else if (!a.authoritative()) {
                add("SERVER_NOT_AUTHORITATIVE", where + " is listed as a name server of " + text(child)
                        + " but answered without the AA flag: the delegation is lame.", dig);
            } else if (soa != null) {
                serials.put(where, soa.getSerial());
                if (firstAuthoritative == null) {
                    firstAuthoritative = s;
                }
            }
        }
        if (new TreeSet<>(serials.values()).size() > 1) {
            add("SOA_SERIAL_MISMATCH", "The authoritative servers of " + text(child) + " disagree on the SOA serial "
                    + serials + ": a secondary has not picked up the latest zone.",
                    "dig " + text(child) + " SOA +nssearch");
        }
        if (referral != null && firstAuthoritative != null) {
            compareNsSets(child, referral, firstAuthoritative);
        }
    }

    private void compareNsSets(Name child, Referral referral, Server authority) {
        DnsAttempt a = probe(authority, child, Type.NS).join();
        Set<Name> childNs = new LinkedHashSet<>();
        if (a.reply() != null && a.authoritative()) {
            for (Record r : a.reply().getSection(Section.ANSWER)) {
                if (r instanceof NSRecord ns && r.getName().equals(child)) {
                    childNs.add(ns.getTarget());
                }
            }
        }
        if (childNs.isEmpty() || childNs.equals(referral.ns())) {
            return;
        }
        Set<Name> onlyParent = new TreeSet<>(referral.ns());
        onlyParent.removeAll(childNs);
        Set<Name> onlyChild = new TreeSet<>(childNs);
        onlyChild.removeAll(referral.ns());
        add("NS_SET_MISMATCH", "The parent zone " + parent + " delegates " + text(child) + " to " + texts(referral.ns())
                + " but the zone itself lists " + texts(childNs) + " (only in the parent: " + texts(onlyParent)
                + "; only in the child: " + texts(onlyChild) + ").",
                "dig " + text(child) + " NS " + referral.from().digTarget() + " +norecurse; dig " + text(child) + " NS "
                        + a.server().digTarget() + " +norecurse");
    }

    /** Repeats the name's query with checking disabled: success where checking failed means DNSSEC is bogus. */
    private void checkDnssec() {
        DnsOutcome checked = resolvers.ask(name, Type.A, false).join();
        DnsAttempt failed = checked.answer() == null ? checked.mostTelling() : null;
        if (failed == null || failed.rcode() != Rcode.SERVFAIL) {
            return;
        }
        DnsOutcome unchecked = resolvers.ask(name, Type.A, true).join();
        if (unchecked.answer() != null) {
            add("DNSSEC_BOGUS", "The resolver " + failed.server().label() + " answers " + host
                    + " with DNSSEC checking disabled (+cd) but SERVFAIL with it on: the signatures do not validate.",
                    "dig " + failed.server().digTarget() + " " + host + " A +cd");
        }
    }

    /** Resolves an NS name's addresses through the resolvers, reporting NS names that fail or are aliases. */
    private List<InetAddress> addresses(Name ns, Name zone, boolean report) {
        List<InetAddress> found = new ArrayList<>();
        boolean alias = false;
        DnsAttempt last = null;
        for (int type : new int[] {Type.A, Type.AAAA}) {
            DnsOutcome o = resolvers.ask(ns, type, false).join();
            last = o.answer() != null ? o.answer() : o.mostTelling();
            if (o.answer() == null) {
                continue;
            }
            for (Record r : o.answer().reply().getSection(Section.ANSWER)) {
                alias |= r instanceof CNAMERecord && r.getName().equals(ns);
                if (r instanceof ARecord a) {
                    found.add(a.getAddress());
                } else if (r instanceof AAAARecord a) {
                    found.add(a.getAddress());
                }
            }
        }
        if (report && alias) {
            add("NS_NAME_IS_CNAME", "The name server " + text(ns) + " of " + text(zone)
                    + " is an alias (CNAME); NS records must name a host with its own A or AAAA record.",
                    "dig " + text(ns) + " A +short");
        }
        if (report && found.isEmpty() && last != null) {
            add("ERROR_RESOLVING_NS_NAME", "The name server " + text(ns) + " of " + text(zone)
                    + " has no address: the resolver " + last.server().label() + " answered " + last.outcome() + ".",
                    "dig " + last.server().digTarget() + " " + text(ns) + " A");
        }
        return found;
    }

    private CompletableFuture<DnsAttempt> probe(Server s, Name qname, int type) {
        Message query = Message.newQuery(Record.newRecord(qname, type, DClass.IN));
        query.getHeader().unsetFlag(Flags.RD);
        DnsServerAddress server = DnsServerAddress.of(s.address(), ports.apply(s.address()));
        return exchange.send(server, query, DelegationDiagnoser.PROBE_TIMEOUT)
                .thenCompose(a -> a.timedOut() && !expired() ? exchange.send(server, query, DelegationDiagnoser.PROBE_TIMEOUT)
                        : CompletableFuture.completedFuture(a));
    }

    private String cnameTarget(DnsAttempt a) {
        for (Record r : a.reply().getSection(Section.ANSWER)) {
            if (r instanceof CNAMERecord c && r.getName().equals(name)) {
                return text(c.getTarget());
            }
        }
        return null;
    }

    private static SOARecord soaAnswer(DnsAttempt a, Name zone) {
        if (a.reply() == null) {
            return null;
        }
        for (Record r : a.reply().getSection(Section.ANSWER)) {
            if (r instanceof SOARecord soa && r.getName().equals(zone)) {
                return soa;
            }
        }
        return null;
    }

    private static String describe(DnsAttempt a) {
        return a.outcome() + (a.reply() == null ? "" : a.authoritative() ? " aa" : " not-aa");
    }

    private void record(Name zone, Server s, String role, DnsAttempt a, String outcome) {
        checks.add(new DelegationReport.ServerCheck(text(zone), text(s.ns()), a.server().label(), role, outcome, a.elapsedMs()));
    }

    private void add(String id, String sentence, String command) {
        findings.add(new DelegationFinding(id, sentence, command));
    }

    private boolean expired() {
        return System.nanoTime() - deadline > 0;
    }

    private static String text(Name n) {
        return NameLookup.text(n);
    }

    private static String texts(Set<Name> names) {
        return names.stream().map(NameLookup::text).toList().toString();
    }
}
