package io.telltale.server.cluster;

import io.telltale.server.balance.RendezvousPicker;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The nodes of the cluster as this node knows them now, and which one owns a key: the first in rendezvous order
 * that is not marked down. The list may change at any time (a DNS refresh); a key moves only when its owner joins
 * or leaves.
 */
public final class ClusterNodes {
    private final Predicate<String> isSelf;
    private final LongSupplier nanoClock;
    private final long downNanos;
    private final Map<String, Long> downUntil = new ConcurrentHashMap<>();
    private volatile Members members;

    /** The members at one time, with the hashing over their names and this node's name among them (or null). */
    private record Members(List<String> names, RendezvousPicker picker, String self) {
    }

    /**
     * Creates the view of the nodes.
     *
     * @param isSelf tells this node's name ({@code IP:port}) from the others'
     * @param nodes the nodes' names, this node's included
     * @param downNanos how long a node that could not be reached is left out
     * @param nanoClock the monotonic clock
     */
    public ClusterNodes(Predicate<String> isSelf, List<String> nodes, long downNanos, LongSupplier nanoClock) {
        this.isSelf = isSelf;
        this.downNanos = downNanos;
        this.nanoClock = nanoClock;
        replace(nodes);
    }

    /** Replaces the members, as a new DNS answer lists them; their order does not matter. */
    public void replace(List<String> nodes) {
        List<String> names = nodes.stream().distinct().sorted().toList();
        int[] weights = new int[names.size()];
        Arrays.fill(weights, 1);
        members = new Members(names, new RendezvousPicker(names, weights),
                names.stream().filter(isSelf).findFirst().orElse(null));
    }

    /** Returns the members' names, sorted. */
    public List<String> names() {
        return members.names();
    }

    /** Returns this node's name, or null when it was not found among the members. */
    public String self() {
        return members.self();
    }

    /** Returns the node that owns a key: the first node in the key's rendezvous order that is not marked down. */
    public String owner(String key) {
        Members now = members;
        String self = now.self();
        if (now.names().isEmpty()) {
            return self;
        }
        long time = nanoClock.getAsLong();
        for (int index : now.picker().order(key)) {
            String name = now.names().get(index);
            if (name.equals(self) || !isDown(name, time)) {
                return name;
            }
        }
        return self;
    }

    /** Leaves a node out of the owners for the configured down time: it could not be reached. */
    public void markDown(String node) {
        downUntil.put(node, nanoClock.getAsLong() + downNanos);
    }

    /** Returns the nodes other than this one. */
    public List<String> others() {
        Members now = members;
        return now.names().stream().filter(name -> !name.equals(now.self())).toList();
    }

    private boolean isDown(String node, long time) {
        Long until = downUntil.get(node);
        if (until == null) {
            return false;
        }
        if (time - until >= 0) {
            downUntil.remove(node, until);
            return false;
        }
        return true;
    }
}
