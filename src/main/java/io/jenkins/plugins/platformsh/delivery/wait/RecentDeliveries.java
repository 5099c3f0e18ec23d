package io.jenkins.plugins.platformsh.delivery.wait;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.redact.RedactedCopy;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * The last verified deliveries, bounded by number and by age, so that a step that starts after its delivery arrived
 * (the build was busy building) still sees it, and a timeout can say what did arrive. Each is held with the instant
 * it was first received: a copy sent again is not added (see {@link #holds}). Lost on restart. Not thread-safe:
 * {@link Waits} guards it.
 */
final class RecentDeliveries {

    /** One remembered delivery. Its payload is kept only when small, and redacted when a wait first asks for it. */
    static final class Entry {
        final Instant at;
        final Activity activity;
        final Verification verification;
        final RedactedCopy redactedPayload;
        /** The body's size: what the parsed activity may hold at most (its commit list, texts). */
        final long weight;
        /** The same activity report, verified by the same keys: what makes a later copy a repeat of this one. */
        final String identity;

        String deliveryId = "";

        Entry(Instant at, Activity activity, Verification verification, RedactedCopy redactedPayload, long weight) {
            this.at = at;
            this.identity = identity(activity, verification);
            this.activity = activity;
            this.verification = verification;
            this.redactedPayload = redactedPayload;
            this.weight = weight;
        }
    }

    /** A hundred 10 MiB bodies would be a gigabyte: the total is bounded too, the newest entry always kept. */
    static final long MAX_WEIGHT = 16L * 1024 * 1024;

    private final int capacity;
    private final Duration maxAge;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long weight;

    RecentDeliveries(int capacity, Duration maxAge) {
        this.capacity = capacity;
        this.maxAge = maxAge;
    }

    void add(Entry e) {
        if (capacity <= 0) {
            return;
        }
        entries.addLast(e);
        weight += e.weight;
        while (entries.size() > capacity || (weight > MAX_WEIGHT && entries.size() > 1)) {
            weight -= entries.removeFirst().weight;
        }
    }

    /**
     * The activity, its state and result, and the keys that verified it. The keys are part of it so that a holder of
     * one job's key, signing a copy of an activity first, cannot make the real delivery count as a repeat.
     */
    static String identity(Activity a, Verification v) {
        return a.project()
                + '\u0001'
                + a.id()
                + '\u0001'
                + a.kind()
                + '\u0001'
                + a.state()
                + '\u0001'
                + a.result()
                + '\u0001'
                + String.join(",", new TreeSet<>(v.refs()));
    }

    /** The remembered entry this delivery repeats, if any (whatever its age: it is forgotten when it leaves). */
    Entry holds(Activity a, Verification v) {
        String id = identity(a, v);
        for (Entry e : entries) {
            if (e.identity.equals(id)) {
                return e;
            }
        }
        return null;
    }

    /** Entries received at or after {@code since} and within the age limit, newest first. */
    List<Entry> newestFirst(Instant since, Instant now) {
        Instant oldest = now.minus(maxAge);
        while (!entries.isEmpty() && entries.peekFirst().at.isBefore(oldest)) {
            weight -= entries.removeFirst().weight;
        }
        List<Entry> out = new ArrayList<>();
        for (Iterator<Entry> it = entries.descendingIterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.at.isBefore(since)) {
                break; // entries are in arrival order, and the clock is assumed not to step back by much
            }
            out.add(e);
        }
        return out;
    }

    int capacity() {
        return capacity;
    }

    Duration maxAge() {
        return maxAge;
    }
}
