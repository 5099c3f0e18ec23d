package io.jenkins.plugins.platformsh.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.ListIterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The recent deliveries, newest first, for the administrators' page, and counters by outcome since start. Bounded:
 * past its size the oldest entry is dropped. Entries hold no secret and only the parsed fields, never the body.
 *
 * <p>Requests refused before anything verified them (no or a wrong signature, a wrong media type, too large) go to a
 * small sample of their own: anyone can send them, and a flood of them must not push real deliveries off the page.
 */
public final class DeliveryLog {

    /** One delivery as the page shows it. */
    public static final class Entry {
        private final String deliveryId;
        private final Instant receivedAt;
        private final String remoteAddress;
        private final Activity activity;
        private final String verification;
        private final int status;
        private final Outcome.Kind outcome;
        private final String reason;
        private final MatchResult match;
        private final Map<String, ScheduleResult> scheduling;

        Entry(String deliveryId, Instant receivedAt, String remoteAddress, Activity activity, String verification,
                int status, Outcome.Kind outcome, String reason, MatchResult match, Map<String, ScheduleResult> scheduling) {
            this.deliveryId = deliveryId;
            this.receivedAt = receivedAt;
            this.remoteAddress = remoteAddress;
            this.activity = activity;
            this.verification = verification;
            this.status = status;
            this.outcome = outcome;
            this.reason = reason;
            this.match = match;
            this.scheduling = Map.copyOf(scheduling);
        }

        Entry withScheduling(int newStatus, Outcome.Kind newOutcome, String newReason, Map<String, ScheduleResult> results) {
            return new Entry(deliveryId, receivedAt, remoteAddress, activity, verification, newStatus, newOutcome,
                    newReason, match, results);
        }

        public String deliveryId() {
            return deliveryId;
        }

        public Instant receivedAt() {
            return receivedAt;
        }

        public String remoteAddress() {
            return remoteAddress;
        }

        public String activityId() {
            return activity == null ? null : activity.id();
        }

        public String type() {
            return activity == null ? null : activity.type();
        }

        public String project() {
            return activity == null ? null : activity.project();
        }

        public String environment() {
            return activity == null ? null : activity.environment();
        }

        public String state() {
            return activity == null ? null : activity.state();
        }

        public String verification() {
            return verification;
        }

        public int status() {
            return status;
        }

        public Outcome.Kind outcome() {
            return outcome;
        }

        /** The short text the sender was answered with. */
        public String reason() {
            return reason;
        }

        /**
         * Every job with a trigger at the time, matched or with its reason; a matched job that could not be queued
         * says why. Empty when the delivery was refused before matching.
         */
        public List<MatchResult.TargetResult> targets() {
            if (match == null) {
                return List.of();
            }
            List<MatchResult.TargetResult> out = new ArrayList<>();
            for (MatchResult.TargetResult r : match.results()) {
                ScheduleResult s = r.matched() ? scheduling.get(r.targetId()) : null;
                out.add(s == null ? r : new MatchResult.TargetResult(r.targetId(),
                        s.status() == ScheduleResult.Status.QUEUED, s.describe()));
            }
            return out;
        }
    }

    /** How many unverified refusals are kept, at most; they are all counted. */
    public static final int REFUSED_SAMPLE_SIZE = 20;

    private final LinkedList<Entry> entries = new LinkedList<>();
    private final LinkedList<Entry> refused = new LinkedList<>();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile int capacity;

    public DeliveryLog() {
        this(DeliverySettings.DEFAULT_LOG_SIZE);
    }

    public DeliveryLog(int capacity) {
        this.capacity = capacity;
    }

    /** Changes the size; the oldest entries go at once if it shrinks. */
    public synchronized void resize(int newCapacity) {
        capacity = Math.max(0, newCapacity);
        trim();
    }

    synchronized String add(Instant at, String remoteAddress, Activity activity, Verification verification,
            Outcome outcome) {
        count(outcome.kind(), outcome.status());
        if (capacity == 0) {
            return "";
        }
        String id = "d" + sequence.incrementAndGet();
        Entry entry = new Entry(id, at, remoteAddress, activity, verification == null ? "" : verification.reason(),
                outcome.status(), outcome.kind(), outcome.body(), outcome.match().orElse(null), Map.of());
        (unverifiedRefusal(outcome, activity, verification) ? refused : entries).addFirst(entry);
        trim();
        return id;
    }

    /**
     * Refused before any key verified it: what an anonymous caller can produce at will. A 503 (Jenkins could not read
     * its keys) is Jenkins' problem, not the caller's, and stays with the deliveries.
     */
    private static boolean unverifiedRefusal(Outcome outcome, Activity activity, Verification verification) {
        // A parsed activity means a key verified the body: only verified bodies are parsed.
        return outcome.kind() == Outcome.Kind.REJECTED && outcome.status() != 503 && activity == null
                && (verification == null || !verification.passed());
    }

    void countOnly(Outcome outcome) {
        count(outcome.kind(), outcome.status());
    }

    /** Adds scheduling results to an entry still in the log (if any); a failed delivery moves its count. */
    synchronized void update(String deliveryId, Outcome before, Outcome after, Map<String, ScheduleResult> results) {
        if (before.kind() != after.kind()) {
            counter(key(before.kind(), before.status())).decrement();
            count(after.kind(), after.status());
        }
        for (ListIterator<Entry> it = entries.listIterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.deliveryId().equals(deliveryId)) {
                it.set(e.withScheduling(after.status(), after.kind(), after.body(), results));
                return;
            }
        }
    }

    /**
     * Replaces what became of one target of an entry still in the log, for what happens after the answer was sent:
     * a multibranch project's branch job that appeared after indexing, or did not within the wait. The delivery's
     * status and counters stay those of its answer.
     */
    public synchronized void note(String deliveryId, String targetId, ScheduleResult later) {
        for (ListIterator<Entry> it = entries.listIterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.deliveryId().equals(deliveryId)) {
                Map<String, ScheduleResult> results = new HashMap<>(e.scheduling);
                results.put(targetId, later);
                it.set(e.withScheduling(e.status(), e.outcome(), e.reason(), results));
                return;
            }
        }
    }

    private void trim() {
        while (entries.size() > capacity) {
            entries.removeLast();
        }
        while (refused.size() > Math.min(capacity, REFUSED_SAMPLE_SIZE)) {
            refused.removeLast();
        }
    }

    private void count(Outcome.Kind kind, int status) {
        counter(key(kind, status)).increment();
    }

    private LongAdder counter(String key) {
        return counters.computeIfAbsent(key, k -> new LongAdder());
    }

    private static String key(Outcome.Kind kind, int status) {
        return kind == Outcome.Kind.REJECTED ? "rejected " + status : kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Deliveries that a key verified, and refusals after that (malformed, wrong project), newest first. */
    public synchronized List<Entry> newestFirst() {
        return List.copyOf(entries);
    }

    /** The latest requests refused before anything verified them, newest first; the counters have them all. */
    public synchronized List<Entry> refusedNewestFirst() {
        return List.copyOf(refused);
    }

    /** The entry with this id, or null once it has left the log. */
    public synchronized Entry get(String deliveryId) {
        for (Entry e : entries) {
            if (e.deliveryId().equals(deliveryId)) {
                return e;
            }
        }
        for (Entry e : refused) {
            if (e.deliveryId().equals(deliveryId)) {
                return e;
            }
        }
        return null;
    }

    /** Deliveries by outcome since start: accepted, ignored, duplicate, failed, "rejected 403"... */
    public Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
