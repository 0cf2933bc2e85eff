package io.telltale.core.origin;

import io.telltale.core.failure.Failure;
import java.net.InetAddress;

/** Decides whether the gateway may connect to an address an origin resolved to. */
@FunctionalInterface
public interface AddressGuard {
    /** An address guard that allows every address. */
    AddressGuard ALLOW_ALL = (address, target) -> null;

    /** Returns the failure that forbids connecting to this address, or null when it is allowed. */
    Failure check(InetAddress address, OriginTarget target);
}
