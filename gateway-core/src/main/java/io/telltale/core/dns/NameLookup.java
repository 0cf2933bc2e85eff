package io.telltale.core.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * Resolves one name to its A and AAAA addresses through the configured resolvers, both asked at once,
 * following CNAME chains across zones, and classifies every way it can fail.
 */
final class NameLookup {
    static final int MAX_CHAIN = 8;

    /**
     * What a lookup found: addresses, or the problem that stopped it. {@code missingType} is the address type
     * (A or AAAA) whose query had not finished when the other's addresses were used (0 when both finished),
     * and {@code complete} the whole result once that query settles with records or NODATA, or null once it
     * fails otherwise ({@code complete} itself is null when the result is already whole). {@code families} says what
     * each family's query found.
     */
    record Result(List<InetAddress> addresses, List<String> chain, long ttlSeconds, List<DnsAttempt> attempts,
            DnsProblem problem, long elapsedMs, int missingType, CompletableFuture<Result> complete,
            AddressFamilies families) {
    }

    private record Chase(List<Record> records, List<String> chain, long ttl, DnsOutcome outcome, DnsProblem problem) {
    }

    private final DnsExchange exchange;
    private final List<DnsServerAddress> servers;
    private final Duration timeout;
    private final int rounds;
    private final Duration resolutionDelay;

    NameLookup(DnsExchange exchange, List<DnsServerAddress> servers, Duration timeout, int rounds, Duration resolutionDelay) {
        this.exchange = exchange;
        this.servers = List.copyOf(servers);
        this.timeout = timeout;
        this.rounds = rounds;
        this.resolutionDelay = resolutionDelay;
    }

    /**
     * Looks up A and AAAA in parallel; once one of them has addresses, the other gets at most the resolution
     * delay (RFC 8305 section 3) before the addresses are used alone.
     */
    CompletableFuture<Result> lookup(String host, Name name) {
        long started = System.nanoTime();
        CompletableFuture<Chase> a = chase(host, name, Type.A);
        CompletableFuture<Chase> aaaa = chase(host, name, Type.AAAA);
        CompletableFuture<Result> whole = CompletableFuture.allOf(a, aaaa)
                .thenApply(v -> combine(host, a.join(), aaaa.join(), started));
        CompletableFuture<Result> result = new CompletableFuture<>();
        whole.whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(r);
            }
        });
        a.thenAccept(c -> waitForOther(host, c, Type.A, aaaa, Type.AAAA, whole, result, started));
        aaaa.thenAccept(c -> waitForOther(host, c, Type.AAAA, a, Type.A, whole, result, started));
        return result;
    }

    /** Sends one query through the configured resolvers. */
    CompletableFuture<DnsOutcome> ask(Name name, int type, boolean checkingDisabled) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        if (checkingDisabled) {
            query.getHeader().setFlag(Flags.CD);
        }
        return exchange.query(servers, query, timeout, rounds);
    }

    private void waitForOther(String host, Chase first, int firstType, CompletableFuture<Chase> other, int otherType,
            CompletableFuture<Result> whole, CompletableFuture<Result> result, long started) {
        if (first.records().isEmpty() || other.isDone()) {
            return;
        }
        other.copy().completeOnTimeout(null, resolutionDelay.toMillis(), TimeUnit.MILLISECONDS).thenAccept(late -> {
            if (late == null) {
                Chase none = new Chase(List.of(), List.of(), 0, null, null);
                Result partial = firstType == Type.A ? combine(host, first, none, started) : combine(host, none, first, started);
                // The whole result stands in for the partial one only if the straggler settled its question.
                CompletableFuture<Result> settled = other.thenCombine(whole, (o, w) -> settled(o) ? w : null);
                result.complete(new Result(partial.addresses(), partial.chain(), partial.ttlSeconds(), partial.attempts(),
                        null, partial.elapsedMs(), otherType, settled, partial.families()));
            }
        });
    }

    private static boolean settled(Chase c) {
        return c.problem() == null || c.problem().cause() == DnsProblem.Cause.NODATA;
    }

    private Result combine(String host, Chase a, Chase aaaa, long started) {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        List<InetAddress> addresses = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        List<DnsAttempt> attempts = new ArrayList<>();
        for (Chase c : List.of(a, aaaa)) {
            for (Record r : c.records()) {
                addresses.add(r instanceof ARecord ar ? ar.getAddress() : ((AAAARecord) r).getAddress());
            }
            if (!c.records().isEmpty()) {
                ttl = Math.min(ttl, c.ttl());
            }
            if (c.outcome() != null) {
                attempts.addAll(c.outcome().attempts());
            }
        }
        AddressFamilies families = new AddressFamilies(host, family(a, Type.A), family(aaaa, Type.AAAA));
        if (!addresses.isEmpty()) {
            List<String> chain = a.records().isEmpty() ? aaaa.chain() : a.chain();
            return new Result(addresses, chain, ttl, attempts, null, elapsedMs, 0, null, families);
        }
        if (a.problem() != null && a.problem().cause() != DnsProblem.Cause.NODATA) {
            // The A lookup proved the name or the resolvers useless: its problem alone explains the failure.
            return new Result(List.of(), a.chain(), 0, a.outcome() == null ? List.of() : a.outcome().attempts(),
                    a.problem(), elapsedMs, 0, null, families);
        }
        if (aaaa.problem() != null && aaaa.problem().cause() != DnsProblem.Cause.NODATA) {
            // No A record, and the AAAA query failed: the failure, not "no address", is why nothing resolved.
            return new Result(List.of(), aaaa.chain(), 0, attempts, aaaa.problem(), elapsedMs, 0, null, families);
        }
        return new Result(List.of(), a.chain(), 0, attempts, a.problem(), elapsedMs, 0, null, families);
    }

    private AddressFamilies.Family family(Chase c, int type) {
        String name = Type.string(type);
        List<InetAddress> found = c.records().stream()
                .map(r -> r instanceof ARecord ar ? ar.getAddress() : ((AAAARecord) r).getAddress()).toList();
        DnsProblem p = c.problem();
        if (!found.isEmpty() || p != null && p.cause() == DnsProblem.Cause.NODATA) {
            return new AddressFamilies.Family(name, found, null);
        }
        if (p == null) {
            return new AddressFamilies.Family(name, found, "no answer within the " + resolutionDelay.toMillis()
                    + " ms resolution delay (RFC 8305)");
        }
        String failure = switch (p.cause()) {
            case NXDOMAIN -> "NXDOMAIN: the name does not exist";
            case DANGLING_CNAME -> "NXDOMAIN for the CNAME target " + p.target();
            case CNAME_LOOP -> "the CNAME chain loops back to " + p.target();
            default -> {
                DnsAttempt deciding = p.deciding();
                yield deciding == null ? p.cause().name() : deciding.outcome() + " from " + deciding.server().label();
            }
        };
        return new AddressFamilies.Family(name, found, failure);
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
