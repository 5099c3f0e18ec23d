package io.jenkins.plugins.platformsh.delivery.route;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The branch indexings that deliveries asked for, per multibranch project and route, so that an environment with no
 * branch job (a Platform.sh-only environment, a branch the source's filters leave out) does not index the project at
 * every delivery: each indexing scans the whole repository and spends the SCM's API quota.
 *
 * <p>Once a delivery has an indexing run for a route, further deliveries for it do not ask for another while the
 * first waits, nor for one wait after that wait ended with no branch job ("indexed, not found"). They wait all the
 * same, in case an SCM event or a periodic scan creates the job. A branch job for the route appearing forgets it.
 * Joining deliveries never extend the memory, so a route is indexed again at the latest two waits later.
 *
 * <p>Bounded: past {@link #capacity} the oldest memory goes (that route may be indexed again early).
 */
public final class RecentIndexing {

    /**
     * An indexing asked for a route.
     *
     * @param at when
     * @param waitEnds when the delivery that asked stops waiting for its branch job
     * @param until when a delivery for the route asks for an indexing again
     */
    public record Seen(Instant at, Instant waitEnds, Instant until) {

        /** Whether the first wait is over: the indexing found no branch job. */
        public boolean foundNothing(Instant now) {
            return now.isAfter(waitEnds);
        }
    }

    private record Key(String projectId, BranchRoute route) {}

    private final int capacity;
    private final Map<Key, Seen> seen = new LinkedHashMap<>();

    public RecentIndexing(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    public int capacity() {
        return capacity;
    }

    /**
     * The indexing already asked for this route, or, if there is none, null and this delivery's (at {@code now},
     * waiting {@code wait}) is remembered: one check and one record, so two deliveries at once do not both index.
     */
    public synchronized Seen begin(String projectId, BranchRoute route, Instant now, Duration wait) {
        Objects.requireNonNull(projectId, "projectId");
        seen.values().removeIf(s -> now.isAfter(s.until()));
        Key key = new Key(projectId, route);
        Seen before = seen.get(key);
        if (before != null) {
            return before;
        }
        Instant waitEnds = now.plus(wait);
        seen.put(key, new Seen(now, waitEnds, waitEnds.plus(wait)));
        Iterator<Seen> it = seen.values().iterator();
        while (seen.size() > capacity && it.hasNext()) {
            it.next();
            it.remove();
        }
        return null;
    }

    /** The indexing could not be asked for after all: the next delivery tries again. */
    public synchronized void forget(String projectId, BranchRoute route) {
        seen.remove(new Key(projectId, route));
    }

    /** A branch job of the project appeared: the routes it answers are indexed again if it goes. */
    public synchronized void appeared(String projectId, BranchJob job) {
        seen.keySet().removeIf(k -> k.projectId().equals(projectId) && k.route().answeredBy(job));
    }

    /** A project or a folder above it was renamed or moved. */
    public synchronized void moved(String oldFullName, String newFullName) {
        Map<Key, Seen> renamed = new LinkedHashMap<>();
        for (Map.Entry<Key, Seen> e : seen.entrySet()) {
            String p = e.getKey().projectId();
            if (p.equals(oldFullName) || p.startsWith(oldFullName + "/")) {
                p = newFullName + p.substring(oldFullName.length());
            }
            renamed.put(new Key(p, e.getKey().route()), e.getValue());
        }
        seen.clear();
        seen.putAll(renamed);
    }

    /** A project or a folder above it was deleted. */
    public synchronized void deleted(String fullName) {
        seen.keySet()
                .removeIf(k -> k.projectId().equals(fullName) || k.projectId().startsWith(fullName + "/"));
    }

    public synchronized int size() {
        return seen.size();
    }
}
