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

/**
 * The last verified deliveries, bounded by number and by age, so that a step that starts after its delivery arrived
 * (the build was busy building) still sees it, and a timeout can say what did arrive. Lost on restart. Not
 * thread-safe: {@link Waits} guards it.
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

        String deliveryId = "";

        Entry(Instant at, Activity activity, Verification verification, RedactedCopy redactedPayload, long weight) {
            this.at = at;
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
