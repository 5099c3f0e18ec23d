package io.jenkins.plugins.platformsh.delivery.verify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The credentials found missing and already reported, so that each is logged once (until it is found again), not at
 * every resolution. Bounded: a Pipeline author decides how many ids waiting steps name, so at most {@link #LIMIT}
 * are remembered, the oldest dropped first (one dropped and still missing is simply reported again).
 */
public final class MissingKeys {

    public static final int LIMIT = 1000;

    private final int limit;
    private final Map<String, Boolean> reported;

    public MissingKeys() {
        this(LIMIT);
    }

    public MissingKeys(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        this.limit = limit;
        this.reported = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > MissingKeys.this.limit;
            }
        };
    }

    /** Notes that {@code what} is missing; true if it was not already reported (the caller reports it now). */
    public synchronized boolean missing(String what) {
        return reported.put(what, Boolean.TRUE) == null;
    }

    /** Notes that {@code what} was found: if it goes missing again, it is reported again. */
    public synchronized void found(String what) {
        reported.remove(what);
    }

    /** How many are remembered. */
    public synchronized int size() {
        return reported.size();
    }
}
