package io.telltale.server.health;

import java.util.List;

/**
 * What one health check of one origin came to.
 *
 * @param passed whether the origin answered one of the expected statuses in time
 * @param result a catalogue code when the check failed on the way, else {@code HTTP} and the status answered
 * @param detail the failure's own explanation, or the status's, for the log and {@code /origins}
 * @param millis from the check's start to the response head, or to the failure
 * @param certificateNotAfterMillis when the origin's leaf certificate expires (epoch milliseconds), 0 for none
 * @param refusingAddresses addresses of the origin's name that failed while another one connected, each with its
 *     catalogue code
 * @param lameServers what the last delegation diagnosis of the origin's name found wrong with its name servers
 */
public record CheckResult(boolean passed, String result, String detail, long millis, long certificateNotAfterMillis,
        List<String> refusingAddresses, List<String> lameServers) {
    /** Copies the lists. */
    public CheckResult {
        refusingAddresses = List.copyOf(refusingAddresses);
        lameServers = List.copyOf(lameServers);
    }

    /** Returns this result with what the delegation diagnosis found wrong with the name's servers. */
    public CheckResult withLameServers(List<String> found) {
        return new CheckResult(passed, result, detail, millis, certificateNotAfterMillis, refusingAddresses, found);
    }
}
