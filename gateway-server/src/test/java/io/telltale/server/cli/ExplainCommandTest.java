package io.telltale.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.telltale.core.failure.FailureCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExplainCommandTest {
    private final StringWriter out = new StringWriter();

    @Test
    void entryIsPrintedWhenTheCodeIsKnown() {
        int exit = run("NonS3OriginDnsError");

        FailureCode c = FailureCode.NON_S3_ORIGIN_DNS_ERROR;
        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("NonS3OriginDnsError: " + c.title())
                .contains("status:       502", "edge error:   1001", "phase:        dns", "Proxy-Status: dns_error",
                        c.meaning(), c.visitorAdvice(), "dig @{resolver} {origin.host} A",
                        "Cloudflare: 1016 Origin DNS error", "RFC 9209: dns_error");
    }

    @Test
    void listShowsEveryCodeWhenAsked() {
        int exit = run("--list");

        assertThat(exit).isZero();
        for (FailureCode c : FailureCode.values()) {
            assertThat(out.toString()).contains(c.code(), c.title());
        }
    }

    @Test
    void unknownCodeSuggestsTheNearestAndExitsWith2WhenMistyped() {
        int exit = run("OriginConectionRefused");

        assertThat(exit).isEqualTo(2);
        assertThat(out.toString()).contains("Unknown error code: OriginConectionRefused", "Nearest codes: OriginConnectionRefused");
    }

    @Test
    void edgeNumberSuggestsItsCodesWhenGivenInstead() {
        int exit = run("526");

        assertThat(exit).isEqualTo(2);
        assertThat(out.toString()).contains("OriginSslCertificateNameMismatch");
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new ExplainCommand());
        cli.setOut(new PrintWriter(out));
        return cli.execute(args);
    }
}
