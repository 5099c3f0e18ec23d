package io.jenkins.plugins.platformsh.delivery.route;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The one build rule for a new branch job. When a waiting delivery builds the job the moment it appears, branch
 * indexing goes on to queue its own first build of the same job: that second request is folded into the delivery's
 * build (it keeps the delivery's cause and variables, and gains indexing's). The window says, per job, which queued
 * build a request arriving shortly after may fold into; it is taken once.
 *
 * @param <T> what the adapter keeps about the delivery's build (its queue item, its delivery)
 */
public final class FoldWindow<T> {

    private final Map<String, Window<T>> open = new HashMap<>();

    private record Window<T>(T build, Instant until) {}

    /** The delivery's {@code build} of job {@code jobId} takes the next indexing request until then. */
    public synchronized void open(String jobId, T build, Instant until) {
        open.put(jobId, new Window<>(build, until));
    }

    /** The queued build to fold a request into, or null; the window closes either way. */
    public synchronized T take(String jobId, Instant now) {
        Window<T> w = open.remove(jobId);
        open.values().removeIf(x -> now.isAfter(x.until())); // the stale ones of other jobs go too
        return w == null || now.isAfter(w.until()) ? null : w.build();
    }

    public synchronized boolean isOpen(String jobId, Instant now) {
        Window<T> w = open.get(jobId);
        return w != null && !now.isAfter(w.until());
    }
}
