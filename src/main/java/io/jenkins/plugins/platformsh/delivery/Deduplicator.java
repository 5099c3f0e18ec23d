package io.jenkins.plugins.platformsh.delivery;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the most recent delivery keys (activity id and state), so that a delivery Platform.sh sends again is
 * answered "duplicate" instead of building twice. Memory is bounded: past {@code capacity} keys the oldest is
 * forgotten. All methods are atomic.
 */
public final class Deduplicator {

    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final Map<String, Boolean> seen;

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
        return seen.put(key, Boolean.TRUE) == null;
    }

    /** Whether the key was seen, without remembering it (dry runs). */
    public synchronized boolean seen(String key) {
        return seen.containsKey(key);
    }

    /** Forgets a key, so that a retry of a delivery that could not be queued is accepted. */
    public synchronized void forget(String key) {
        seen.remove(key);
    }

    public synchronized int size() {
        return seen.size();
    }

    public int capacity() {
        return capacity;
    }
}
