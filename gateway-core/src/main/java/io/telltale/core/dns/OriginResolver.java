package io.telltale.core.dns;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves an origin's host name to addresses without blocking the caller.
 *
 * <p>A failure completes the future with a {@link io.telltale.core.failure.FailureException} whose
 * failure is already classified ({@code NonS3OriginDnsError} with its evidence).
 */
public interface OriginResolver extends AutoCloseable {
    /** Resolves a host name or IP literal; the future never completes on the caller's thread's stack when slow. */
    CompletableFuture<ResolvedOrigin> resolve(String host);

    /** Returns the diagnoser of the names' delegations, empty when there is none (the default). */
    default Optional<DelegationDiagnoser> diagnoser() {
        return Optional.empty();
    }

    /** Releases threads and sockets; the default does nothing. */
    @Override
    default void close() {
    }
}
