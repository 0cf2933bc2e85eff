package io.telltale.core.origin;

import io.telltale.core.dns.ProhibitedAddresses;
import io.telltale.core.failure.Failure;
import java.net.InetAddress;

/** Decides whether the gateway may connect to an address an origin resolved to. */
@FunctionalInterface
public interface AddressGuard {
    /** An address guard that allows every address. */
    AddressGuard ALLOW_ALL = (address, target) -> null;

    /** Returns the guard that refuses the addresses these rules prohibit, embedded IPv4 addresses included. */
    static AddressGuard prohibiting(ProhibitedAddresses rules) {
        return (address, target) -> rules.check(target.origin().host(), address).orElse(null);
    }

    /** Returns the failure that forbids connecting to this address, or null when it is allowed. */
    Failure check(InetAddress address, OriginTarget target);
}
