package io.telltale.server.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

class LabDnsServerTest {
    private static final String ZONE = """
            $ORIGIN zone.test.
            @        IN SOA ns1.zone.test. hostmaster.zone.test. 9 3600 600 86400 30
            @        IN NS  ns1
            ns1      IN A   127.0.0.1
            www      IN A   127.0.0.1
            alias    IN CNAME www
            sub      IN NS  ns1.sub
            ns1.sub  IN A   127.0.0.5
            lame     IN A   127.0.0.1
            ;@fault lame LAME
            """;
    private static LabDnsServer server;

    @BeforeAll
    static void start() throws Exception {
        server = LabDnsServer.builder().zone(ZONE).zone(TestZones.big()).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Message ask(String name, int type, boolean ignoreTruncation) throws Exception {
        SimpleResolver r = new SimpleResolver(server.address());
        r.setTimeout(Duration.ofSeconds(2));
        r.setIgnoreTruncation(ignoreTruncation);
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        q.getHeader().unsetFlag(Flags.RD);
        return r.send(q);
    }

    @Test
    void answersAuthoritativelyAndChasesCnamesInsideTheZone() throws Exception {
        Message m = ask("alias.zone.test.", Type.A, false);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME, Type.A);
    }

    @Test
    void nxdomainAndNodataCarryTheSoa() throws Exception {
        Message nx = ask("nothing.zone.test.", Type.A, false);
        Message nodata = ask("www.zone.test.", Type.TXT, false);
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nx.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        assertThat(nodata.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    @Test
    void delegationIsAReferralWithGlueAndNoAa() throws Exception {
        Message m = ask("www.sub.zone.test.", Type.A, false);
        assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(m.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(NSRecord.class);
        assertThat(m.getSection(Section.ADDITIONAL)).extracting(Record::rdataToString).contains("127.0.0.5");
    }

    @Test
    void namesOutsideItsZonesAreRefused() throws Exception {
        assertThat(ask("www.elsewhere.test.", Type.A, false).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void lameFaultAnswersWithoutAa() throws Exception {
        Message m = ask("lame.zone.test.", Type.A, false);
        assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(m.getSection(Section.ANSWER)).hasSize(1);
    }

    @Test
    void answerLargerThanTheUdpSizeIsTruncated() throws Exception {
        Message m = ask("many.big.test.", Type.A, true);
        assertThat(m.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(ask("many.big.test.", Type.A, false).getSection(Section.ANSWER)).hasSize(120);
    }

    @Test
    void severalServersRunAtOnceOnLoopbackAddresses() throws Exception {
        try (LabDnsServer second = LabDnsServer.builder().bindAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 2}))
                .zone(ZONE).start()) {
            assertThat(second.address().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
            assertThat(List.of(server.port(), second.port())).doesNotContain(0);
        }
    }

    @Test
    void refusesToBindOutsideLoopback() {
        assertThatThrownBy(() -> LabDnsServer.builder().bindAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 1})))
                .hasMessageContaining("expected: a loopback address");
    }

    @Test
    void zoneTextWithoutOriginIsRejected() {
        assertThatThrownBy(() -> LabZone.parse("www IN A 127.0.0.1\n")).hasMessageContaining("$ORIGIN");
    }
}
