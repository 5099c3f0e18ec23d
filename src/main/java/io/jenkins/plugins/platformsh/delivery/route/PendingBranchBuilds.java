package io.jenkins.plugins.platformsh.delivery.route;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Deliveries waiting for a branch job that does not exist yet, until it appears or their wait ends. Each is handed
 * out exactly once: to {@link #claim} when its job appears, or to {@link #expire} when the wait is over, never both,
 * so a delivery builds its branch job at most once however the two race.
 *
 * <p>Bounded: past {@link #capacity} the oldest waits end early (and are returned, so their delivery says so): a
 * burst of deliveries for branches that never appear cannot grow the heap.
 *
 * @param <T> what the adapter needs to build the job (the delivery's schedule)
 */
public final class PendingBranchBuilds<T> {

    /** One waiting delivery. */
    public static final class Pending<T> {
        private String projectId;
        private final BranchRoute route;
        private final T payload;
        private final Instant deadline;

        Pending(String projectId, BranchRoute route, T payload, Instant deadline) {
            this.projectId = projectId;
            this.route = route;
            this.payload = payload;
            this.deadline = deadline;
        }

        /** The multibranch project's full name (as it is now, after renames). */
        public synchronized String projectId() {
            return projectId;
        }

        public BranchRoute route() {
            return route;
        }

        public T payload() {
            return payload;
        }

        public Instant deadline() {
            return deadline;
        }

        boolean wants(BranchJob job) {
            return route.answeredBy(job);
        }
    }

    private final int capacity;
    private final Map<Long, Pending<T>> pending = new LinkedHashMap<>();
    private long sequence;

    public PendingBranchBuilds(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    public int capacity() {
        return capacity;
    }

    /** Adds a waiting delivery; returns the waits ended early to stay within capacity (oldest first). */
    public synchronized List<Pending<T>> add(String projectId, BranchRoute route, T payload, Instant deadline) {
        Objects.requireNonNull(projectId, "projectId");
        pending.put(++sequence, new Pending<>(projectId, route, payload, deadline));
        List<Pending<T>> dropped = new ArrayList<>();
        Iterator<Pending<T>> it = pending.values().iterator();
        while (pending.size() > capacity && it.hasNext()) {
            dropped.add(it.next());
            it.remove();
        }
        return dropped;
    }

    /** Stops one delivery's wait (it could not start); true if it was still waiting. */
    public synchronized boolean remove(T payload) {
        return pending.values().removeIf(p -> p.payload() == payload);
    }

    /** The deliveries still waiting for this new branch job of this project, removed: build each once. */
    public synchronized List<Pending<T>> claim(String projectId, BranchJob appeared, Instant now) {
        List<Pending<T>> out = new ArrayList<>();
        for (Iterator<Pending<T>> it = pending.values().iterator(); it.hasNext(); ) {
            Pending<T> p = it.next();
            if (p.projectId().equals(projectId) && p.wants(appeared) && !now.isAfter(p.deadline())) {
                out.add(p);
                it.remove();
            }
        }
        return out;
    }

    /** The waits over at {@code now}, removed. */
    public synchronized List<Pending<T>> expire(Instant now) {
        List<Pending<T>> out = new ArrayList<>();
        for (Iterator<Pending<T>> it = pending.values().iterator(); it.hasNext(); ) {
            Pending<T> p = it.next();
            if (now.isAfter(p.deadline())) {
                out.add(p);
                it.remove();
            }
        }
        return out;
    }

    /** A project or a folder above it was renamed or moved: its waiting deliveries follow. */
    public synchronized void moved(String oldFullName, String newFullName) {
        for (Pending<T> p : pending.values()) {
            synchronized (p) {
                if (p.projectId.equals(oldFullName) || p.projectId.startsWith(oldFullName + "/")) {
                    p.projectId = newFullName + p.projectId.substring(oldFullName.length());
                }
            }
        }
    }

    /** A project or a folder above it was deleted: its waiting deliveries end now, returned. */
    public synchronized List<Pending<T>> deleted(String fullName) {
        List<Pending<T>> out = new ArrayList<>();
        for (Iterator<Pending<T>> it = pending.values().iterator(); it.hasNext(); ) {
            Pending<T> p = it.next();
            if (p.projectId().equals(fullName) || p.projectId().startsWith(fullName + "/")) {
                out.add(p);
                it.remove();
            }
        }
        return out;
    }

    public synchronized int size() {
        return pending.size();
    }
}
