/**
 * The failure catalogue: every way a request can fail to be served ({@link io.telltale.core.failure.FailureCode}
 * with its texts and other vendors' names), how a real exception is classified into it
 * ({@link io.telltale.core.failure.FailureClassifier}), how it is explained to the client (headers, problem
 * details, HTML and text by {@link io.telltale.core.failure.ErrorResponseRenderer}, with evidence only for
 * trusted clients), the bounded journal of recent failures, and the
 * {@link io.telltale.core.failure.RequestTimeline} that origin connections stamp and the renderer, journal and
 * access log read. Evidence facts use dotted names that the owner-advice templates refer to: {@code origin.host},
 * {@code origin.port}, {@code origin.address}, {@code resolver}, {@code sni}, {@code rule}, {@code variable},
 * {@code exception}, {@code errno}.
 */
package io.telltale.core.failure;
