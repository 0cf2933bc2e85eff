package io.telltale.core.origin;

import io.netty.util.NetUtil;
import io.telltale.core.failure.AddressOutcome;
import io.telltale.core.failure.Evidence;
import io.telltale.core.failure.Failure;
import io.telltale.core.failure.FailureCode;
import io.telltale.core.failure.RequestTimeline;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What each address of a name came to after a connection race, recorded on the timeline, and the one failure
 * they add up to when none connected: their shared code when they all failed alike, else
 * {@code OriginAddressesFailed} listing each.
 */
final class AddressFailures {
    /** Names the failure of connecting to one address. */
    interface Classifier {
        /** Returns the classified failure of connecting to the address. */
        Failure classify(InetAddress address, Throwable cause);
    }

    private final List<Failure> failures;
    private final List<AddressOutcome> outcomes;
    private final Failure firstTried;
    private final InetAddress firstTriedAddress;
    private final OriginTarget target;

    private AddressFailures(List<Failure> failures, List<AddressOutcome> outcomes, Failure firstTried,
            InetAddress firstTriedAddress, OriginTarget target) {
        this.failures = failures;
        this.outcomes = outcomes;
        this.firstTried = firstTried;
        this.firstTriedAddress = firstTriedAddress;
        this.target = target;
    }

    /** Classifies and records the addresses of a race nobody won, after those the address rules prohibited. */
    static AddressFailures of(List<InetAddress> addresses, List<Failure> prohibited, AddressRace.Tries tries,
            RequestTimeline timeline, OriginTarget target, Classifier classifier) {
        List<Failure> failures = new ArrayList<>(prohibited);
        List<AddressOutcome> outcomes = new ArrayList<>(timeline.addresses());
        Failure first = null;
        InetAddress firstAddress = null;
        for (int i = 0; i < addresses.size(); i++) {
            InetAddress address = addresses.get(i);
            AddressOutcome outcome;
            if (tries.startNanos()[i] == 0) {
                outcome = new AddressOutcome(NetUtil.toAddressString(address), AddressOutcome.Result.NOT_TRIED, null, -1, -1);
            } else {
                Failure failure = classifier.classify(address, tries.causes()[i]);
                failures.add(failure);
                if (first == null) {
                    first = failure;
                    firstAddress = address;
                }
                outcome = new AddressOutcome(NetUtil.toAddressString(address), AddressOutcome.Result.FAILED, failure.code(),
                        at(tries, i, timeline), millis(tries, i));
            }
            timeline.addressTried(outcome);
            outcomes.add(outcome);
        }
        return new AddressFailures(failures, outcomes, first, firstAddress, target);
    }

    /** Records the addresses of a race that {@code winner} won: each tried one failed, was abandoned or connected. */
    static void recordWin(List<InetAddress> addresses, int winner, AddressRace.Tries tries, RequestTimeline timeline,
            Classifier classifier) {
        for (int i = 0; i < addresses.size(); i++) {
            if (tries.startNanos()[i] == 0) {
                continue;
            }
            InetAddress address = addresses.get(i);
            AddressOutcome.Result result = i == winner ? AddressOutcome.Result.CONNECTED
                    : tries.causes()[i] != null ? AddressOutcome.Result.FAILED : AddressOutcome.Result.ABANDONED;
            timeline.addressTried(new AddressOutcome(NetUtil.toAddressString(address), result,
                    result == AddressOutcome.Result.FAILED ? classifier.classify(address, tries.causes()[i]).code() : null,
                    at(tries, i, timeline), millis(tries, i)));
        }
    }

    /** Returns whether every address failed with the same catalogue code. */
    boolean sameCode() {
        return failures.stream().map(Failure::code).distinct().count() == 1;
    }

    /** Returns each address with what came of it, in words: {@code 127.0.0.1: tried, connection refused}. */
    List<String> eachTried() {
        List<String> lines = new ArrayList<>(outcomes.size());
        for (AddressOutcome outcome : outcomes) {
            lines.add(outcome.address() + (outcome.code() != null
                    ? ": tried, " + outcome.code().proxyStatusError().replace('_', ' ')
                    : ": not tried"));
        }
        return lines;
    }

    /** Returns the first address a connection was tried at. */
    InetAddress firstTried() {
        return firstTriedAddress;
    }

    /**
     * Returns the failure to answer: the first tried address's when all failed alike (the timeline lists each),
     * else one naming every address and what it came to.
     */
    Failure combined(Object resolver) {
        if (sameCode()) {
            return firstTried;
        }
        List<String> each = outcomes.stream().map(AddressOutcome::describe).toList();
        return Failure.of(FailureCode.ORIGIN_ADDRESSES_FAILED,
                "None of the " + outcomes.size() + " addresses of " + target.origin().host()
                        + " could be connected to: " + String.join("; ", each) + ".",
                Evidence.builder()
                        .put("origin", target.nextHop())
                        .put("origin.host", target.origin().host())
                        .put("origin.port", target.port())
                        .put("resolver", resolver)
                        .put("addresses", each)
                        .build());
    }

    private static long at(AddressRace.Tries tries, int i, RequestTimeline timeline) {
        return Math.max(0, (tries.startNanos()[i] - timeline.startNanos()) / 1_000_000);
    }

    private static long millis(AddressRace.Tries tries, int i) {
        return Math.max(0, (tries.endNanos()[i] - tries.startNanos()[i]) / 1_000_000);
    }
}
