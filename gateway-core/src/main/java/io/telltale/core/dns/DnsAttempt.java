package io.telltale.core.dns;

import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One query sent to one server and what came back: a reply, or the error that took its place.
 *
 * @param server the server asked
 * @param query the query sent
 * @param reply the reply, or null when none arrived
 * @param error why no reply arrived, or null
 * @param elapsedMs how long the exchange took
 */
record DnsAttempt(DnsServerAddress server, Message query, Message reply, Throwable error, long elapsedMs) {

    /** Returns whether the reply settles the question: NOERROR or NXDOMAIN. */
    boolean conclusive() {
        return reply != null && (reply.getRcode() == Rcode.NOERROR || reply.getRcode() == Rcode.NXDOMAIN);
    }

    /** Returns the reply's rcode, or -1 when there was no reply. */
    int rcode() {
        return reply == null ? -1 : reply.getRcode();
    }

    boolean timedOut() {
        return reply == null && error instanceof SocketTimeoutException;
    }

    boolean unreachable() {
        return reply == null && (error instanceof PortUnreachableException
                || error instanceof java.net.ConnectException);
    }

    boolean authoritative() {
        return reply != null && reply.getHeader().getFlag(Flags.AA);
    }

    /** Returns the first RFC 8914 extended error in the reply, or null. */
    ExtendedErrorCodeOption extendedError() {
        OPTRecord opt = reply == null ? null : reply.getOPT();
        if (opt == null) {
            return null;
        }
        List<EDNSOption> options = opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
        return options.isEmpty() ? null : (ExtendedErrorCodeOption) options.get(0);
    }

    /** Returns the SOA in the reply's authority section, or null. */
    SOARecord authoritySoa() {
        if (reply == null) {
            return null;
        }
        for (Record r : reply.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return soa;
            }
        }
        return null;
    }

    /** Returns what happened in a few words: {@code NXDOMAIN}, {@code timeout after 500 ms}, ... */
    String outcome() {
        if (reply != null) {
            ExtendedErrorCodeOption ede = extendedError();
            String rcode = Rcode.string(reply.getRcode());
            return ede == null ? rcode : rcode + " (EDE " + ede.getErrorCode() + " " + edeText(ede) + ")";
        }
        if (timedOut()) {
            return "timeout after " + elapsedMs + " ms";
        }
        if (unreachable()) {
            return "unreachable (nothing listening: " + error.getClass().getSimpleName() + ")";
        }
        return "error: " + (error == null ? "no reply" : error.getClass().getSimpleName()
                + (error.getMessage() == null ? "" : " " + error.getMessage()));
    }

    /** Returns this attempt as evidence: server, question, outcome, time and flags. */
    Map<String, Object> toFacts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("server", server.label());
        Record q = query.getQuestion();
        facts.put("query", q.getName() + " " + Type.string(q.getType()));
        facts.put("outcome", outcome());
        facts.put("ms", elapsedMs);
        if (reply != null) {
            facts.put("aa", reply.getHeader().getFlag(Flags.AA));
            facts.put("answers", reply.getSection(Section.ANSWER).size());
        }
        return facts;
    }

    static String edeText(ExtendedErrorCodeOption ede) {
        String name = edeName(ede.getErrorCode());
        String text = ede.getText();
        return text == null || text.isEmpty() ? name : name + ": " + text;
    }

    /** Returns the RFC 8914 registry name of an extended error code, e.g. {@code No Reachable Authority}. */
    static String edeName(int code) {
        StringBuilder name = new StringBuilder();
        for (String word : ExtendedErrorCodeOption.text(code).toLowerCase(java.util.Locale.ROOT).split("_")) {
            if (!word.isEmpty()) {
                name.append(name.length() == 0 ? "" : " ").append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return name.toString();
    }
}
