package io.telltale.core.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Resolves one name to its A then AAAA addresses through the configured resolvers, following CNAME
 * chains across zones, and classifies every way it can fail.
 */
final class NameLookup {
    static final int MAX_CHAIN = 8;

    /** What a lookup found: addresses, or the problem that stopped it. */
    record Result(List<InetAddress> addresses, List<String> chain, long ttlSeconds, List<DnsAttempt> attempts,
            DnsProblem problem) {
    }

    private record Chase(List<Record> records, List<String> chain, long ttl, DnsOutcome outcome, DnsProblem problem) {
    }

    private final DnsExchange exchange;
    private final List<DnsServerAddress> servers;
    private final Duration timeout;
    private final int rounds;

    NameLookup(DnsExchange exchange, List<DnsServerAddress> servers, Duration timeout, int rounds) {
        this.exchange = exchange;
        this.servers = List.copyOf(servers);
        this.timeout = timeout;
        this.rounds = rounds;
    }

    /** Looks up A, then AAAA unless the A lookup proved the name or the resolvers useless. */
    CompletableFuture<Result> lookup(String host, Name name) {
        return chase(host, name, Type.A).thenCompose(a -> {
            if (a.problem() != null && a.problem().cause() != DnsProblem.Cause.NODATA) {
                return CompletableFuture.completedFuture(failed(a));
            }
            return chase(host, name, Type.AAAA).thenApply(aaaa -> combine(a, aaaa));
        });
    }

    /** Sends one query through the configured resolvers. */
    CompletableFuture<DnsOutcome> ask(Name name, int type, boolean checkingDisabled) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        if (checkingDisabled) {
            query.getHeader().setFlag(Flags.CD);
        }
        return exchange.query(servers, query, timeout, rounds);
    }

    private static Result failed(Chase c) {
        return new Result(List.of(), c.chain(), 0, c.outcome() == null ? List.of() : c.outcome().attempts(), c.problem());
    }

    private static Result combine(Chase a, Chase aaaa) {
        List<InetAddress> addresses = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Chase c : List.of(a, aaaa)) {
            for (Record r : c.records()) {
                addresses.add(r instanceof ARecord ar ? ar.getAddress() : ((AAAARecord) r).getAddress());
            }
            if (!c.records().isEmpty()) {
                ttl = Math.min(ttl, c.ttl());
            }
        }
        List<DnsAttempt> attempts = new ArrayList<>(a.outcome().attempts());
        if (aaaa.outcome() != null) {
            attempts.addAll(aaaa.outcome().attempts());
        }
        if (addresses.isEmpty()) {
            return new Result(List.of(), a.chain(), 0, attempts, a.problem());
        }
        List<String> chain = a.records().isEmpty() ? aaaa.chain() : a.chain();
        return new Result(addresses, chain, ttl, attempts, null);
    }

    private CompletableFuture<Chase> chase(String host, Name start, int type) {
        Set<Name> seen = new HashSet<>();
        seen.add(start);
        return hop(host, start, type, new ArrayList<>(), seen, Long.MAX_VALUE);
    }

    private CompletableFuture<Chase> hop(String host, Name current, int type, List<String> chain, Set<Name> seen, long ttl) {
        return ask(current, type, false).thenCompose(outcome -> {
            if (outcome.answer() == null) {
                DnsProblem.Cause cause = DnsProblem.Cause.of(outcome.mostTelling());
                return done(chain, outcome, new DnsProblem(cause, host, type, outcome, chain, text(current), null));
            }
            DnsAttempt answer = outcome.answer();
            List<Record> section = answer.reply().getSection(Section.ANSWER);
            Name name = current;
            long minTtl = ttl;
            for (CNAMERecord c = cname(section, name); c != null; c = cname(section, name)) {
                name = c.getTarget();
                minTtl = Math.min(minTtl, c.getTTL());
                chain.add(text(name));
                if (!seen.add(name) || chain.size() > MAX_CHAIN) {
                    return done(chain, outcome, new DnsProblem(DnsProblem.Cause.CNAME_LOOP, host, type, outcome, chain,
                            text(name), null));
                }
            }
            List<Record> records = new ArrayList<>();
            for (Record r : section) {
                if (r.getType() == type && r.getName().equals(name)) {
                    records.add(r);
                    minTtl = Math.min(minTtl, r.getTTL());
                }
            }
            if (!records.isEmpty()) {
                return CompletableFuture.completedFuture(new Chase(records, chain, minTtl, outcome, null));
            }
            if (answer.rcode() == Rcode.NXDOMAIN) {
                DnsProblem.Cause cause = chain.isEmpty() ? DnsProblem.Cause.NXDOMAIN : DnsProblem.Cause.DANGLING_CNAME;
                return done(chain, outcome, new DnsProblem(cause, host, type, outcome, chain, text(name), answer.authoritySoa()));
            }
            if (!name.equals(current) && answer.authoritySoa() == null) {
                // The server stopped at its zone's edge: ask for the CNAME's target ourselves.
                return hop(host, name, type, chain, seen, minTtl);
            }
            DnsProblem.Cause cause = chain.isEmpty() && isReferral(answer) ? DnsProblem.Cause.REFERRAL : DnsProblem.Cause.NODATA;
            return done(chain, outcome, new DnsProblem(cause, host, type, outcome, chain, text(name), answer.authoritySoa()));
        });
    }

    private static CompletableFuture<Chase> done(List<String> chain, DnsOutcome outcome, DnsProblem problem) {
        return CompletableFuture.completedFuture(new Chase(List.of(), chain, 0, outcome, problem));
    }

    private static boolean isReferral(DnsAttempt answer) {
        return answer.authoritySoa() == null && !answer.authoritative()
                && answer.reply().getSection(Section.AUTHORITY).stream().anyMatch(NSRecord.class::isInstance);
    }

    private static CNAMERecord cname(List<Record> section, Name owner) {
        for (Record r : section) {
            if (r instanceof CNAMERecord c && r.getName().equals(owner)) {
                return c;
            }
        }
        return null;
    }

    /** Returns the name as people write it, without the trailing dot. */
    static String text(Name name) {
        return name.toString(true);
    }
}
