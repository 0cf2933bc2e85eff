package io.telltale.core.tls;

import java.util.List;

/**
 * TLS configuration that cannot be used: each problem names the field, the value and what was expected,
 * e.g. {@code sites[1].tls.certificate: /etc/x.pem (expected: a readable PEM certificate chain; the file does not exist)}.
 */
public final class TlsConfigException extends Exception {
    private final transient List<String> problems;

    /** Creates the exception from one or more problems. */
    public TlsConfigException(List<String> problems) {
        super(String.join("\n", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    /** Returns each problem, one field each. */
    public List<String> problems() {
        return problems;
    }
}
