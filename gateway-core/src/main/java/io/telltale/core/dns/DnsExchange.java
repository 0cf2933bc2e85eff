package io.telltale.core.dns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.xbill.DNS.Message;
import org.xbill.DNS.SimpleResolver;

/**
 * Sends DNS queries to explicit servers with dnsjava: one query to one server, or a query tried across
 * servers in order with a per-query timeout and rounds of retries. UDP falls back to TCP on truncation.
 */
final class DnsExchange {
    private final Executor executor;

    DnsExchange(Executor executor) {
        this.executor = executor;
    }

    /** Sends one query to one server; the future always completes normally with the attempt. */
    CompletableFuture<DnsAttempt> send(DnsServerAddress server, Message query, Duration timeout) {
        // A SimpleResolver is only settings (sockets are dnsjava's, shared), so one per query costs little.
        SimpleResolver resolver = new SimpleResolver(server.socketAddress());
        resolver.setTimeout(timeout);
        long started = System.nanoTime();
        CompletableFuture<Message> reply;
        try {
            reply = resolver.sendAsync(query.clone(), executor).toCompletableFuture();
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.handle((message, error) -> new DnsAttempt(server, query, message, unwrap(error),
                (System.nanoTime() - started) / 1_000_000));
    }

    /**
     * Asks the servers in order, {@code rounds} times over, until one gives a conclusive answer
     * (NOERROR or NXDOMAIN); a server that answered SERVFAIL or REFUSED is not asked again.
     */
    CompletableFuture<DnsOutcome> query(List<DnsServerAddress> servers, Message query, Duration timeout, int rounds) {
        List<DnsServerAddress> order = new ArrayList<>();
        for (int i = 0; i < Math.max(1, rounds); i++) {
            order.addAll(servers);
        }
        return next(order, 0, query, timeout, new ArrayList<>(), new HashSet<>());
    }

    private CompletableFuture<DnsOutcome> next(List<DnsServerAddress> order, int index, Message query, Duration timeout,
            List<DnsAttempt> attempts, Set<DnsServerAddress> answeredBadly) {
        int i = index;
        while (i < order.size() && answeredBadly.contains(order.get(i))) {
            i++;
        }
        if (i == order.size()) {
            return CompletableFuture.completedFuture(new DnsOutcome(null, attempts));
        }
        int at = i;
        DnsServerAddress server = order.get(at);
        return send(server, query, timeout).thenCompose(attempt -> {
            attempts.add(attempt);
            if (attempt.conclusive()) {
                return CompletableFuture.completedFuture(new DnsOutcome(attempt, attempts));
            }
            if (attempt.reply() != null) {
                answeredBadly.add(server);
            }
            return next(order, at + 1, query, timeout, attempts, answeredBadly);
        });
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
