package io.telltale.core.dns;

import io.telltale.core.config.Cidr;
import io.telltale.core.config.InternalNetworks;
import io.telltale.core.config.InternalNetworks.Range;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether an origin address lies in one of the {@link InternalNetworks} the gateway must not connect to,
 * directly or as the IPv4 address an IPv6 address embeds, unless a site allows it, and names the failure.
 *
 * <p>This is what keeps the gateway from being an open door into its own network: a public name that
 * resolves to {@code 169.254.169.254} or {@code 10.0.0.5} is refused at connect time.
 */
public final class ProhibitedAddresses {
    private final List<Cidr> allowed;

    private ProhibitedAddresses(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Returns the rules for a site that allows these networks although they are otherwise prohibited. */
    public static ProhibitedAddresses allowing(List<Cidr> allowedNetworks) {
        return new ProhibitedAddresses(allowedNetworks);
    }

    /** Returns the rules for a site's {@code allowedOriginNetworks} as written in its config. */
    public static ProhibitedAddresses allowingCidrs(List<String> allowedNetworks) {
        return new ProhibitedAddresses(allowedNetworks == null ? List.of()
                : allowedNetworks.stream().map(Cidr::parse).toList());
    }

    /**
     * Returns the prohibited range the address is in, or empty when it is public or explicitly allowed; an IPv6
     * address that embeds a prohibited IPv4 address is prohibited too (see {@link InternalNetworks}).
     */
    public Optional<Range> prohibitedRange(InetAddress address) {
        return InternalNetworks.rangeOf(address, allowed);
    }

    /** Returns the {@code OriginIpProhibited} failure when the address is prohibited for this origin host. */
    public Optional<Failure> check(String host, InetAddress address) {
        return prohibitedRange(address).map(range -> failure(host, address, range));
    }

    /** Returns the {@code OriginIpProhibited} failure for an address found in a prohibited range. */
    public Failure failure(String host, InetAddress address, Range range) {
        String ip = address.getHostAddress();
        String hostCidr = Cidr.of(address).toString();
        Evidence evidence = Evidence.builder()
                .put("host", host)
                .put("address", ip)
                .put("range", range.name())
                .put("rangeCidr", range.cidr().toString())
                .put("allowedOriginNetworks", allowed.stream().map(Cidr::toString).toList())
                .put("allowToFix", hostCidr)
                .build();
        String detail = "The origin " + host + " resolved to " + ip + ", which is in the " + range.name()
                + " range " + range.cidr() + "; the gateway does not connect to such addresses unless the site allows them.";
        List<String> remediation = List.of(
                "If " + host + " should resolve to a public address, fix its DNS records: dig " + host + " A +short",
                "If the origin really is on this network, add " + hostCidr + " (or " + range.cidr()
                        + ") to the site's allowedOriginNetworks.");
        return new Failure(FailureCode.ORIGIN_IP_PROHIBITED, null, null, detail, evidence, remediation);
    }

}
