package io.telltale.server.lab.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SetResponse;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.Zone;

/** Builds the lab server's reply to one query: faults first, then the zones, then recursion through referrals. */
final class LabDnsResponder {
    private static final int MAX_CNAMES = 8;
    private static final int MAX_REFERRALS = 4;
    private static final int EDNS_PAYLOAD = 1232;
    private static final int PLAIN_UDP = 512;

    private final List<Zone> zones;
    private final Map<Name, LabDnsFault> faults;
    private final Function<InetAddress, Integer> recursion;
    private final Duration upstreamTimeout;

    LabDnsResponder(List<Zone> zones, Map<Name, LabDnsFault> faults, Function<InetAddress, Integer> recursion,
            Duration upstreamTimeout) {
        this.zones = List.copyOf(zones);
        this.faults = Map.copyOf(faults);
        this.recursion = recursion;
        this.upstreamTimeout = upstreamTimeout;
    }

    /** Returns the reply's wire form, or null to send nothing. */
    byte[] respond(Message query, boolean overTcp) {
        Record question = query.getQuestion();
        Message reply = newReply(query);
        if (question == null) {
            reply.getHeader().setRcode(Rcode.FORMERR);
            return reply.toWire();
        }
        Name name = question.getName();
        LabDnsFault fault = faultFor(name);
        boolean lame = false;
        if (fault != null) {
            switch (fault.kind()) {
                case DROP -> {
                    return null;
                }
                case DROP_A, DROP_AAAA -> {
                    if (question.getType() == (fault.kind() == LabDnsFault.Kind.DROP_A ? Type.A : Type.AAAA)) {
                        return null;
                    }
                }
                case REFUSED -> {
                    return refuse(reply);
                }
                case SERVFAIL -> {
                    return fail(query, reply, fault.infoCode(), fault.text());
                }
                case BOGUS -> {
                    if (!query.getHeader().getFlag(Flags.CD)) {
                        return fail(query, reply, ExtendedErrorCodeOption.DNSSEC_BOGUS,
                                fault.text().isEmpty() ? "RRSIG for " + name + " expired" : fault.text());
                    }
                }
                case TRUNCATE -> {
                    if (!overTcp) {
                        reply.getHeader().setFlag(Flags.TC);
                        return reply.toWire();
                    }
                }
                case SERVFAIL_AAAA -> {
                    if (question.getType() == Type.AAAA) {
                        return fail(query, reply, fault.infoCode(), fault.text());
                    }
                }
                case LAME -> lame = true;
                default -> throw new IllegalStateException("fault: " + fault.kind());
            }
        }
        Zone zone = zoneFor(name);
        if (zone == null) {
            return refuse(reply);
        }
        Message answered = answer(zone, name, question.getType(), reply);
        if (answered.getHeader().getFlag(Flags.AA) || !query.getHeader().getFlag(Flags.RD) || recursion == null
                || answered.getSection(Section.AUTHORITY).stream().noneMatch(NSRecord.class::isInstance)) {
            if (lame) {
                answered.getHeader().unsetFlag(Flags.AA);
            }
            return wire(query, answered, overTcp);
        }
        return wire(query, recurse(query, answered), overTcp);
    }

    private Message answer(Zone zone, Name qname, int type, Message reply) {
        reply.getHeader().setFlag(Flags.AA);
        Name name = qname;
        for (int hop = 0; hop <= MAX_CNAMES; hop++) {
            SetResponse sr = zone.findRecords(name, type);
            if (sr.isSuccessful()) {
                sr.answers().forEach(set -> addAll(reply, set, Section.ANSWER));
                return reply;
            }
            if (sr.isCNAME()) {
                CNAMERecord cname = sr.getCNAME();
                reply.addRecord(cname, Section.ANSWER);
                name = cname.getTarget();
                if (!name.subdomain(zone.getOrigin())) {
                    return reply;
                }
                continue;
            }
            if (sr.isDelegation()) {
                if (hop == 0) {
                    reply.getHeader().unsetFlag(Flags.AA);
                }
                RRset ns = sr.getNS();
                addAll(reply, ns, Section.AUTHORITY);
                for (Record r : ns.rrs()) {
                    Name target = ((NSRecord) r).getTarget();
                    for (int glueType : new int[] {Type.A, Type.AAAA}) {
                        RRset glue = zone.findExactMatch(target, glueType);
                        if (glue != null) {
                            addAll(reply, glue, Section.ADDITIONAL);
                        }
                    }
                }
                return reply;
            }
            if (sr.isNXDOMAIN()) {
                reply.getHeader().setRcode(Rcode.NXDOMAIN);
            }
            reply.addRecord(zone.getSOA(), Section.AUTHORITY);
            return reply;
        }
        return reply;
    }

    /** Follows a referral to the delegated servers as a resolver does; SERVFAIL with EDE 22 when none answers. */
    private Message recurse(Message query, Message referral) {
        Message current = referral;
        List<String> problems = new ArrayList<>();
        for (int depth = 0; depth < MAX_REFERRALS; depth++) {
            Message next = null;
            for (Record r : current.getSection(Section.AUTHORITY)) {
                if (!(r instanceof NSRecord ns)) {
                    continue;
                }
                for (InetAddress address : glue(current, ns.getTarget())) {
                    Message upstream = askUpstream(query, address, ns.getTarget(), problems);
                    if (upstream == null) {
                        continue;
                    }
                    boolean authoritative = upstream.getHeader().getFlag(Flags.AA);
                    int rcode = upstream.getRcode();
                    if (authoritative && (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN)) {
                        return relay(query, upstream);
                    }
                    if (!authoritative && rcode == Rcode.NOERROR && upstream.getSection(Section.ANSWER).isEmpty()
                            && upstream.getSection(Section.AUTHORITY).stream().anyMatch(NSRecord.class::isInstance)
                            && isDeeper(upstream, current)) {
                        next = upstream;
                        break;
                    }
                    problems.add(ns.getTarget() + " at " + address.getHostAddress() + ": "
                            + (authoritative ? Rcode.string(rcode) : Rcode.string(rcode) + " without AA (lame)"));
                }
                if (next != null) {
                    break;
                }
            }
            if (next == null) {
                break;
            }
            current = next;
        }
        Message failed = newReply(query);
        failed.getHeader().setRcode(Rcode.SERVFAIL);
        failed.getHeader().setFlag(Flags.RA);
        attachError(failed, ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, "no reachable authority: " + String.join("; ", problems));
        return failed;
    }

    private Message askUpstream(Message query, InetAddress address, Name ns, List<String> problems) {
        if (!address.isLoopbackAddress()) {
            // The lab never sends traffic off the machine, whatever a zone's glue says.
            problems.add(ns + " at " + address.getHostAddress() + ": not a loopback address, not asked");
            return null;
        }
        SimpleResolver upstream = new SimpleResolver(new InetSocketAddress(address, recursion.apply(address)));
        upstream.setTimeout(upstreamTimeout);
        Message q = query.clone();
        q.getHeader().unsetFlag(Flags.RD);
        try {
            return upstream.send(q);
        } catch (IOException e) {
            problems.add(ns + " at " + address.getHostAddress() + ": "
                    + (e instanceof java.net.SocketTimeoutException ? "timeout" : e.getClass().getSimpleName()));
            return null;
        }
    }

    private static boolean isDeeper(Message referral, Message previous) {
        Name was = previous.getSection(Section.AUTHORITY).get(0).getName();
        Name now = referral.getSection(Section.AUTHORITY).get(0).getName();
        return now.subdomain(was) && !now.equals(was);
    }

    private static List<InetAddress> glue(Message referral, Name ns) {
        List<InetAddress> addresses = new ArrayList<>();
        for (Record r : referral.getSection(Section.ADDITIONAL)) {
            if (r.getName().equals(ns) && r instanceof ARecord a) {
                addresses.add(a.getAddress());
            } else if (r.getName().equals(ns) && r instanceof AAAARecord a) {
                addresses.add(a.getAddress());
            }
        }
        return addresses;
    }

    private static Message relay(Message query, Message upstream) {
        Message reply = newReply(query);
        reply.getHeader().setRcode(upstream.getRcode());
        reply.getHeader().setFlag(Flags.RA);
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
            for (Record r : upstream.getSection(section)) {
                reply.addRecord(r, section);
            }
        }
        return reply;
    }

    private LabDnsFault faultFor(Name name) {
        for (Name n = name; ; n = new Name(n, 1)) {
            LabDnsFault fault = faults.get(n);
            if (fault != null || n.labels() <= 1) {
                return fault;
            }
        }
    }

    private Zone zoneFor(Name name) {
        Zone best = null;
        for (Zone z : zones) {
            if (name.subdomain(z.getOrigin()) && (best == null || z.getOrigin().labels() > best.getOrigin().labels())) {
                best = z;
            }
        }
        return best;
    }

    private static Message newReply(Message query) {
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            reply.getHeader().setFlag(Flags.RD);
        }
        if (query.getHeader().getFlag(Flags.CD)) {
            reply.getHeader().setFlag(Flags.CD);
        }
        if (query.getQuestion() != null) {
            reply.addRecord(query.getQuestion(), Section.QUESTION);
        }
        return reply;
    }

    private static byte[] refuse(Message reply) {
        reply.getHeader().setRcode(Rcode.REFUSED);
        return reply.toWire();
    }

    private static byte[] fail(Message query, Message reply, int infoCode, String text) {
        reply.getHeader().setRcode(Rcode.SERVFAIL);
        if (infoCode >= 0) {
            attachError(reply, infoCode, text);
        }
        return wire(query, reply, true);
    }

    private static void attachError(Message reply, int infoCode, String text) {
        reply.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0, 0, List.of(new ExtendedErrorCodeOption(infoCode, text))),
                Section.ADDITIONAL);
    }

    private static byte[] wire(Message query, Message reply, boolean overTcp) {
        OPTRecord clientOpt = query.getOPT();
        if (clientOpt != null && reply.getOPT() == null) {
            reply.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        if (overTcp) {
            return reply.toWire();
        }
        int max = clientOpt == null ? PLAIN_UDP : Math.max(PLAIN_UDP, clientOpt.getPayloadSize());
        return reply.toWire(max);
    }

    private static void addAll(Message reply, RRset set, int section) {
        for (Record r : set.rrs()) {
            reply.addRecord(r, section);
        }
    }
}
