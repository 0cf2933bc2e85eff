package io.telltale.core.dns;

import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Turns a {@link DnsProblem} into a {@code NonS3OriginDnsError} failure: detail, Proxy-Status, evidence, dig commands. */
final class DnsFailures {
    static final String NO_RESOLVERS = "no DNS resolvers configured: dns.resolvers is empty";

    private DnsFailures() {
    }

    static Failure failure(DnsProblem p) {
        DnsAttempt a = p.deciding();
        String server = a == null ? null : a.server().label();
        String dig = a == null ? null : "dig " + a.server().digTarget() + " " + p.host() + " " + Type.string(p.type());
        ExtendedErrorCodeOption ede = a == null ? null : a.extendedError();
        Map<String, Object> params = new LinkedHashMap<>();
        String error = "dns_error";
        String detail;
        List<String> fix = new ArrayList<>();
        switch (p.cause()) {
            case NXDOMAIN -> {
                detail = "The resolver " + server + " answered NXDOMAIN for " + p.host() + ": the name does not exist.";
                fix.add("Check the name with the gateway's resolver: " + dig);
                fix.add("Create the record" + zoneHint(p) + ", or correct the origin host name in the site config.");
            }
            case NODATA -> {
                detail = "The resolver " + server + " answered NOERROR with no A or AAAA record for " + p.host()
                        + (p.chain().isEmpty() ? "" : " (via CNAME to " + p.target() + ")")
                        + ": the name exists but has no address.";
                fix.add("Check the records: " + dig + " and dig " + a.server().digTarget() + " " + p.host() + " AAAA");
                fix.add("Add an A or AAAA record for " + p.target() + zoneHint(p) + ".");
            }
            case DANGLING_CNAME -> {
                detail = p.host() + " is an alias (CNAME) of " + p.target() + ", which does not exist (NXDOMAIN from "
                        + server + "): the CNAME is dangling.";
                fix.add("Follow the chain: " + dig);
                fix.add("Check the target: dig " + a.server().digTarget() + " " + p.target() + " A");
                fix.add("Point the CNAME at a name that exists, or create " + p.target() + ".");
            }
            case CNAME_LOOP -> {
                detail = "The CNAME chain of " + p.host() + " never reaches an address: it comes back to " + p.target()
                        + " after " + p.chain().size() + " aliases.";
                fix.add("Follow the chain: " + dig);
                fix.add("Break the loop so that the last CNAME points at a name with an A or AAAA record.");
            }
            case SERVFAIL -> {
                detail = "The resolver " + server + " answered SERVFAIL for " + p.host()
                        + (ede == null ? "" : " (EDE " + ede.getErrorCode() + " " + DnsAttempt.edeText(ede) + ")")
                        + ": it could not get a valid answer from the name's authoritative servers.";
                fix.add("Repeat the query: " + dig);
                if (ede != null && dnssec(ede.getErrorCode())) {
                    fix.add("Repeat it with DNSSEC checking disabled (if this answers, validation is failing): " + dig + " +cd");
                }
                fix.add("Check the delegation: dig " + p.host() + " NS +short, then ask each name server with +norecurse.");
            }
            case REFUSED -> {
                detail = "The resolver " + server + " answered REFUSED for " + p.host()
                        + ": it will not resolve this name for the gateway.";
                fix.add("Repeat the query: " + dig);
                fix.add("Allow the gateway's address in the resolver's access list, or set dns.resolvers to a resolver that serves it.");
            }
            case TIMEOUT -> {
                error = "dns_timeout";
                detail = "No resolver answered the query for " + p.host() + " " + Type.string(p.type()) + ": "
                        + servers(p) + " timed out after " + a.elapsedMs() + " ms (" + p.outcome().attempts().size()
                        + " attempts).";
                fix.add("Repeat the query: " + dig + " +tries=1 +time=2");
                fix.add("Check that the resolver is running and reachable from the gateway over UDP and TCP port "
                        + a.server().port() + ", or raise dns.queryTimeout.");
            }
            case UNREACHABLE -> {
                detail = "The resolver " + server + " could not be reached for " + p.host() + ": " + a.outcome() + ".";
                fix.add("Repeat the query: " + dig);
                fix.add("Start the resolver or correct dns.resolvers.");
            }
            case REFERRAL -> {
                detail = "The resolver " + server + " returned a referral instead of an answer for " + p.host()
                        + ": it is an authoritative server, not a recursive resolver.";
                fix.add("Repeat the query: " + dig);
                fix.add("Set dns.resolvers to a recursive resolver.");
            }
            case NO_RESOLVERS -> {
                detail = "No DNS resolvers are configured (dns.resolvers is empty), so " + p.host() + " cannot be resolved.";
                fix.add("Set dns.resolvers to at least one resolver, e.g. dns.resolvers: [\"127.0.0.1:5353\"].");
            }
            case INVALID_NAME -> {
                detail = p.host() + " is not a valid DNS name.";
                fix.add("Correct the origin host name in the site config.");
            }
            default -> {
                detail = "The resolver " + server + " answered " + a.outcome() + " for " + p.host() + ".";
                fix.add("Repeat the query: " + dig);
            }
        }
        if (a != null && a.reply() != null && error.equals("dns_error")) {
            params.put("rcode", p.cause() == DnsProblem.Cause.NODATA ? "NOERROR" : Rcode.string(a.rcode()));
            if (ede != null) {
                params.put("info-code", ede.getErrorCode());
            }
        }
        return new Failure(FailureCode.NON_S3_ORIGIN_DNS_ERROR, error, params, detail, evidence(p), fix);
    }

    /**
     * Returns the failure with what each address family's query found; when one family was answered and the other
     * failed, the detail says so, since the failed family is then the whole reason nothing resolved.
     */
    static Failure withFamilies(Failure f, AddressFamilies families) {
        String detail = families.partial() ? f.detail() + " " + families.sentence() + "." : f.detail();
        return new Failure(f.code(), f.proxyStatusError(), f.proxyStatusParams(), detail,
                f.evidence().with(families.evidence()), f.remediation());
    }

    /** Returns the failure with the delegation diagnosis joined to its evidence and remediation. */
    static Failure withDiagnosis(Failure f, DelegationReport report) {
        List<String> fix = new ArrayList<>();
        String detail = f.detail();
        if (report.beyondAlias()) {
            // The origin's own zone is healthy: the headline and the first fix name the zone that is not.
            String first = report.chain().get(0).zone();
            String path = String.join(" -> ", report.chain().stream().map(DelegationReport.Link::name).toList());
            detail = "Resolution of " + report.origin() + " breaks in the zone " + report.apex() + ", not in " + first
                    + ": " + report.origin() + " is an alias (CNAME chain " + path + "), and "
                    + lowerFirst(report.findings().get(0).sentence()) + " " + detail;
            fix.add("Fix the zone " + report.apex() + " (the zone of the CNAME target " + report.name() + "), not " + first
                    + ": its name servers " + report.apexServers() + " must answer for it with authority; whoever runs "
                    + report.apex() + " (often the CDN or DNS provider the alias points at) has to repair it.");
            f.remediation().stream().filter(line -> !line.startsWith("Check the delegation: dig " + report.origin()))
                    .forEach(fix::add);
            fix.add("Check the delegation of the broken zone: dig " + report.apex() + " NS +short, then ask each name server "
                    + "with +norecurse.");
        } else {
            fix.addAll(f.remediation());
        }
        for (DelegationFinding finding : report.findings()) {
            fix.add(finding.sentence() + " Repeat: " + finding.command());
        }
        return new Failure(f.code(), f.proxyStatusError(), f.proxyStatusParams(), detail,
                f.evidence().with(report.toEvidence()), fix);
    }

    private static String lowerFirst(String sentence) {
        // Findings start with a server or zone name, which stays as it is; only a leading article is lowered.
        return sentence.startsWith("The ") ? "the " + sentence.substring(4) : sentence;
    }

    private static Evidence evidence(DnsProblem p) {
        Evidence.Builder b = Evidence.builder();
        if (p.cause() == DnsProblem.Cause.NO_RESOLVERS) {
            return b.put("host", p.host()).put("resolvers", List.of()).put("problem", NO_RESOLVERS).build();
        }
        b.put("query", p.host() + ". " + Type.string(p.type()));
        DnsAttempt a = p.deciding();
        if (a != null) {
            b.put("resolver", a.server().label());
            b.put("answer", a.outcome());
            b.put("answeredInMs", a.elapsedMs());
            ExtendedErrorCodeOption ede = a.extendedError();
            if (ede != null) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("infoCode", ede.getErrorCode());
                e.put("name", DnsAttempt.edeName(ede.getErrorCode()));
                e.put("text", ede.getText() == null ? "" : ede.getText());
                b.put("extendedError", e);
            }
        }
        if (!p.chain().isEmpty()) {
            List<String> chain = new ArrayList<>();
            chain.add(p.host());
            chain.addAll(p.chain());
            b.put("cnameChain", chain);
        }
        if (p.cause() == DnsProblem.Cause.DANGLING_CNAME) {
            b.put("missingTarget", p.target());
        }
        if (p.soa() != null) {
            b.put("soa", p.soa().toString());
            b.put("negativeTtlSeconds", p.negativeTtlSeconds());
        }
        if (p.outcome() != null) {
            b.put("attempts", p.outcome().attempts().stream().map(DnsAttempt::toFacts).toList());
        }
        return b.build();
    }

    /** Returns whether an extended DNS error (RFC 8914) is about DNSSEC: 1, 2 and 5 to 12. */
    private static boolean dnssec(int infoCode) {
        return infoCode == 1 || infoCode == 2 || infoCode >= 5 && infoCode <= 12;
    }

    private static String zoneHint(DnsProblem p) {
        return p.soa() == null ? "" : " in the zone " + NameLookup.text(p.soa().getName());
    }

    private static String servers(DnsProblem p) {
        return String.join(", ", p.outcome().attempts().stream().map(x -> x.server().label()).distinct().toList());
    }
}
