package io.telltale.core.failure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The recent failures, newest kept, oldest dropped, readable by request id from the admin API.
 *
 * <p>Recording is one atomic increment and one array store, so event loops never wait on each other;
 * reads scan the ring, which is fine for an admin endpoint.
 */
public final class FailureJournal {
    private final AtomicReferenceArray<JournalEntry> ring;
    private final AtomicLong next = new AtomicLong();

    /** Creates a journal that keeps the last {@code capacity} failures. */
    public FailureJournal(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        ring = new AtomicReferenceArray<>(capacity);
    }

    /** Returns how many entries the journal keeps at most. */
    public int capacity() {
        return ring.length();
    }

    /** Records a failure, dropping the oldest entry when full. */
    public void record(JournalEntry entry) {
        long slot = next.getAndIncrement();
        ring.set((int) (slot % ring.length()), entry);
    }

    /** Returns the newest entry for a request id. */
    public Optional<JournalEntry> find(String requestId) {
        for (JournalEntry e : newestFirst()) {
            if (e.requestId().equals(requestId)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Returns up to {@code limit} newest entries with this code, or of any code when it is null. */
    public List<JournalEntry> recent(FailureCode code, int limit) {
        List<JournalEntry> out = new ArrayList<>(Math.min(limit, ring.length()));
        for (JournalEntry e : newestFirst()) {
            if (out.size() >= limit) {
                break;
            }
            if (code == null || e.failure() != null && e.failure().code() == code) {
                out.add(e);
            }
        }
        return out;
    }

    /** Returns the JSON for {@code /failures/{id}}: the entry's object. */
    public static byte[] toJson(JournalEntry entry) {
        return FailureJson.write(entry.toJson());
    }

    /** Returns the JSON for {@code /failures?code=}: an object with an {@code entries} array. */
    public static byte[] toJson(List<JournalEntry> entries) {
        return FailureJson.write(Map.of("entries", entries.stream().map(JournalEntry::toJson).toList()));
    }

    private List<JournalEntry> newestFirst() {
        long end = next.get();
        int n = ring.length();
        List<JournalEntry> out = new ArrayList<>(n);
        for (long i = end - 1; i >= 0 && i >= end - n; i--) {
            JournalEntry e = ring.get((int) (i % n));
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }
}
