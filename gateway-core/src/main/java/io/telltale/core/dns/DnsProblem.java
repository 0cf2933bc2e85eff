package io.telltale.core.dns;

import java.util.List;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;

/**
 * Why a name did not resolve, with what is needed to explain it.
 *
 * @param cause the kind of failure
 * @param host the name asked for, without the trailing dot
 * @param type the record type whose query failed
 * @param outcome the servers' answers to the failing query, or null when no query was sent
 * @param chain the CNAME targets followed before the failure, in order
 * @param target the name the failure is about (the missing CNAME target, the repeated name), or null
 * @param soa the SOA sent with a negative answer, or null
 */
record DnsProblem(Cause cause, String host, int type, DnsOutcome outcome, List<String> chain, String target, SOARecord soa) {

    /** The kinds of DNS failure the gateway tells apart. */
    enum Cause {
        NXDOMAIN, NODATA, SERVFAIL, REFUSED, OTHER_RCODE, TIMEOUT, UNREACHABLE, REFERRAL,
        DANGLING_CNAME, CNAME_LOOP, NO_RESOLVERS, INVALID_NAME;

        /** Classifies a failed attempt (no conclusive answer). */
        static Cause of(DnsAttempt attempt) {
            return switch (attempt.rcode()) {
                case Rcode.SERVFAIL -> SERVFAIL;
                case Rcode.REFUSED -> REFUSED;
                case -1 -> attempt.timedOut() ? TIMEOUT : UNREACHABLE;
                default -> OTHER_RCODE;
            };
        }

        /** Returns whether the answer is authoritative proof of absence and is cached for the SOA's time (RFC 2308). */
        boolean negative() {
            return this == NXDOMAIN || this == NODATA || this == DANGLING_CNAME;
        }

        /** Returns whether the resolvers failed to answer, so that a stale answer may be served (RFC 8767). */
        boolean resolverFailure() {
            return this == SERVFAIL || this == REFUSED || this == OTHER_RCODE || this == TIMEOUT || this == UNREACHABLE;
        }

        /** Returns whether a delegation diagnosis can explain it. */
        boolean diagnosable() {
            return this == SERVFAIL || this == REFUSED || this == TIMEOUT || this == NXDOMAIN || this == DANGLING_CNAME;
        }
    }

    DnsProblem {
        chain = List.copyOf(chain);
    }

    /** Returns the attempt that decided the outcome, or null when no query was sent. */
    DnsAttempt deciding() {
        if (outcome == null || outcome.attempts().isEmpty()) {
            return null;
        }
        return outcome.answer() != null ? outcome.answer() : outcome.mostTelling();
    }

    /** Returns the negative-caching time in seconds: min(SOA TTL, SOA minimum), or 0 without an SOA. */
    long negativeTtlSeconds() {
        return soa == null ? 0 : Math.min(soa.getTTL(), soa.getMinimum());
    }
}
