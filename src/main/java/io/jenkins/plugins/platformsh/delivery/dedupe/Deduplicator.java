package io.jenkins.plugins.platformsh.delivery.dedupe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers the most recent delivery keys (activity id and state), so that a delivery Platform.sh sends again is
 * answered "duplicate" instead of building twice. Memory is bounded: past {@code capacity} keys the oldest is
 * forgotten. All methods are atomic.
 */
public final class Deduplicator {

    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final Map<String, Boolean> seen;
    /** Bumped on every change, so that a writer knows whether there is anything new to store. */
    private final AtomicLong changes = new AtomicLong();

    public Deduplicator() {
        this(DEFAULT_CAPACITY);
    }

    public Deduplicator(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.seen = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > Deduplicator.this.capacity;
            }
        };
    }

    /** True the first time a key is offered (and remembers it); false for a duplicate. */
    public synchronized boolean firstTime(String key) {
        boolean first = seen.put(key, Boolean.TRUE) == null;
        changes.incrementAndGet(); // a repeat moves its key to the newest end: also a change of what is kept
        return first;
    }

    /** Whether the key was seen, without remembering it (dry runs). */
    public synchronized boolean seen(String key) {
        return seen.containsKey(key);
    }

    /** Forgets a key, so that a retry of a delivery that could not be queued is accepted. */
    public synchronized void forget(String key) {
        if (seen.remove(key) != null) {
            changes.incrementAndGet();
        }
    }

    /** The keys, oldest (first to be forgotten) first. */
    public synchronized List<String> oldestFirst() {
        return new ArrayList<>(seen.keySet());
    }

    /**
     * Adds keys remembered before a restart, as older than every key seen since: if the two together exceed the
     * capacity, the oldest restored keys are the ones forgotten.
     */
    public synchronized void restore(List<String> olderKeysOldestFirst) {
        List<String> live = new ArrayList<>(seen.keySet());
        seen.clear();
        for (String k : olderKeysOldestFirst) {
            if (k != null) {
                seen.put(k, Boolean.TRUE);
            }
        }
        for (String k : live) {
            seen.put(k, Boolean.TRUE); // moves a key present in both to the newest end
        }
        changes.incrementAndGet();
    }

    /** How many changes so far; only its movement means anything. */
    public long changes() {
        return changes.get();
    }

    public synchronized int size() {
        return seen.size();
    }

    public int capacity() {
        return capacity;
    }
}
