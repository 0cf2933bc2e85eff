package io.telltale.core.failure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One classified failure: the catalogue entry, the precise Proxy-Status error and parameters, a
 * specific one-sentence detail, the evidence and the remediation steps filled from it.
 *
 * @param code the catalogue entry
 * @param proxyStatusError the RFC 9209 error type (may refine the entry's default, e.g. {@code dns_timeout})
 * @param proxyStatusParams extra Proxy-Status parameters in order ({@code rcode}, {@code info-code}, ...);
 *     values are String, Long/Integer or Boolean
 * @param detail what exactly went wrong, in one sentence; it may name the origin, so only trusted clients see
 *     it and public ones get the catalogue's meaning instead
 * @param evidence the facts observed, shown only to trusted clients
 * @param remediation owner steps with commands filled from the evidence, shown only to trusted clients
 */
public record Failure(
        FailureCode code,
        String proxyStatusError,
        Map<String, Object> proxyStatusParams,
        String detail,
        Evidence evidence,
        List<String> remediation) {

    public Failure {
        Objects.requireNonNull(code, "code");
        proxyStatusError = proxyStatusError == null ? code.proxyStatusError() : proxyStatusError;
        proxyStatusParams = proxyStatusParams == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(proxyStatusParams));
        detail = detail == null ? "" : detail;
        evidence = evidence == null ? Evidence.empty() : evidence;
        remediation = remediation == null ? List.of() : List.copyOf(remediation);
    }

    /** Returns a failure with the entry's defaults, a detail and evidence. */
    public static Failure of(FailureCode code, String detail, Evidence evidence) {
        return new Failure(code, null, null, detail, evidence, null);
    }

    /** Returns a copy with more evidence appended. */
    public Failure withEvidence(Evidence more) {
        return new Failure(code, proxyStatusError, proxyStatusParams, detail, evidence.with(more), remediation);
    }

    /** Returns this failure as a stackless exception, for completing futures. */
    public FailureException toException() {
        return new FailureException(this);
    }
}
