/**
 * The failure catalogue: every way a request can fail to be served ({@link io.telltale.core.failure.FailureCode}
 * with its texts and other vendors' names), how a real exception is classified into it
 * ({@link io.telltale.core.failure.FailureClassifier}), how it is explained to the client (headers, problem
 * details, HTML and text by {@link io.telltale.core.failure.ErrorResponseRenderer}, with evidence only for
 * trusted clients), the bounded journal of recent failures, and the
 * {@link io.telltale.core.failure.RequestTimeline} that origin connections stamp and the renderer, journal and
 * access log read. Evidence facts use dotted names that the owner-advice templates refer to: {@code origin.host},
 * {@code origin.port}, {@code origin.address}, {@code resolver}, {@code sni}, {@code rule}, {@code variable},
 * {@code exception}, {@code errno}. The HTML page a person reads is drawn by {@code ErrorPage} from small parts,
 * each with one job: the sentence under "What happened?" ({@code WhatHappened}), the timeline waterfall, the
 * certificate cards, the delegation table, the remaining facts and the remediation commands as code.
 */
package io.telltale.core.failure;
