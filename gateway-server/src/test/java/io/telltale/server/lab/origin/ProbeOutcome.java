package io.telltale.server.lab.origin;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One connect attempt by {@link UnreachableProbeMain}, as classified, written as one line of tab-separated
 * {@code key=value} fields after the word {@code probe} so that it can be read back from a process's output.
 *
 * @param transport {@code nio} or {@code epoll}
 * @param target the address tried, {@code ip:port}
 * @param code the catalogue code, or {@code connected} when the connect succeeded
 * @param status the code's HTTP status, or 0 when connected
 * @param exception the exception's class name, or {@code -}
 * @param errno the errno the classifier read, or {@code -} when the exception carried none
 * @param message the exception's message, or {@code -}
 */
public record ProbeOutcome(String transport, String target, String code, int status, String exception, String errno,
        String message) {
    private static final String PREFIX = "probe\t";

    /** Returns the line that {@link #parse(String)} reads back. */
    public String line() {
        return PREFIX + "transport=" + transport + "\ttarget=" + target + "\tcode=" + code + "\tstatus=" + status
                + "\texception=" + exception + "\terrno=" + errno + "\tmessage=" + message.replaceAll("[\t\r\n]", " ");
    }

    /** Reads every probe line out of a process's output, ignoring the other lines. */
    public static List<ProbeOutcome> parse(String output) {
        return output.lines().filter(l -> l.startsWith(PREFIX)).map(ProbeOutcome::parseLine).toList();
    }

    private static ProbeOutcome parseLine(String line) {
        Map<String, String> fields = new HashMap<>();
        for (String field : line.substring(PREFIX.length()).split("\t")) {
            int eq = field.indexOf('=');
            fields.put(field.substring(0, eq), field.substring(eq + 1));
        }
        return new ProbeOutcome(fields.get("transport"), fields.get("target"), fields.get("code"),
                Integer.parseInt(fields.get("status")), fields.get("exception"), fields.get("errno"), fields.get("message"));
    }
}
