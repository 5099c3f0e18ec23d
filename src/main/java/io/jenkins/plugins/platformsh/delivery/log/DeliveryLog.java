package io.jenkins.plugins.platformsh.delivery.log;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.FieldBounds;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.redact.RedactedCopy;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.delivery.text.Clip;
import io.jenkins.plugins.platformsh.delivery.verify.Audience;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The recent deliveries, newest first, for the administrators' page, and counters by outcome (kept across restarts
 * by {@code StateStore}). Bounded: past its size the oldest entry is dropped. Entries hold no secret: the parsed
 * fields, and for replay the redacted body of a verified delivery, within a total budget of their own.
 *
 * <p>Requests refused before anything verified them (no or a wrong signature, a wrong media type, too large) go to a
 * small sample of their own: anyone can send them, and a flood of them must not push real deliveries off the page.
 * For the same reason, with unsigned deliveries accepted, the unsigned ones are listed among the deliveries but
 * within a small number of their own ({@link #UNSIGNED_SAMPLE_SIZE}), beside the log's size rather than within it,
 * and never keep a body for replay.
 *
 * <p>An entry's jobs: a live entry holds its {@link MatchResult} (the trigger snapshot's job list, shared, and a few
 * bytes per matched job and candidate), from which any job's result is made when asked; a stored entry (read back
 * after a restart, or settled by {@link #settleBodies} past {@link #MAX_LIVE_TARGETS}) holds {@link StoredJobs}.
 */
public final class DeliveryLog {

    /**
     * What an entry keeps of its jobs once it no longer holds its match: after a restart, or when the log settled it
     * to bound the job lists it retains. The matched jobs (at most {@link #MAX_MATCHED_STORED}, with the number of
     * those not kept), the candidates the index looked at (at most {@link #MAX_CONSIDERED_STORED}), the summary of the
     * others, and how many jobs had a trigger. A job in neither list is no longer known: {@link Entry#resultFor} answers
     * null for it.
     */
    public record StoredJobs(
            int jobCount,
            List<MatchResult.TargetResult> matched,
            int matchedNotStored,
            List<MatchResult.TargetResult> considered,
            List<MatchResult.ReasonCount> summary) {
        public StoredJobs {
            // Those past the bound are counted with those not stored already.
            matchedNotStored = Math.max(0, matchedNotStored) + Math.max(0, matched.size() - MAX_MATCHED_STORED);
            matched = List.copyOf(matched.subList(0, Math.min(matched.size(), MAX_MATCHED_STORED)));
            considered = List.copyOf(considered.subList(0, Math.min(considered.size(), MAX_CONSIDERED_STORED)));
            summary = MatchResult.fold(summary);
            jobCount = Math.max(0, jobCount);
        }

        static final StoredJobs NONE = new StoredJobs(0, List.of(), 0, List.of(), List.of());

        MatchResult.TargetResult find(String targetId) {
            for (MatchResult.TargetResult t : matched) {
                if (t.targetId().equals(targetId)) {
                    return t;
                }
            }
            for (MatchResult.TargetResult t : considered) {
                if (t.targetId().equals(targetId)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** The most matched jobs an entry keeps in its stored form; the others are counted. */
    public static final int MAX_MATCHED_STORED = 500;

    /**
     * The most non-matched jobs an entry keeps in its stored form: the candidates the index looked at, or every other
     * job when there are no more than this.
     */
    public static final int MAX_CONSIDERED_STORED = 100;

    /** One delivery as the page shows it. */
    public static final class Entry {
        private final String deliveryId;
        private final Instant receivedAt;
        private final String remoteAddress;
        private final Activity activity;
        private final String verification;
        private final Audience audience;
        private final int status;
        private final Outcome.Kind outcome;
        private final String reason;
        /** The live match; null once stored (then {@link #stored} says what is left), or refused before matching. */
        private final MatchResult match;

        private final Map<String, ScheduleResult> scheduling;
        /** For an entry read back from disk or settled: its jobs as stored (the match is gone). */
        private final StoredJobs stored;
        // For replay; guarded by the log. The redacted copy (made when first asked for), dropped first when the
        // budget is spent, and what it was counted as in that budget.
        private RedactedCopy body;
        private long bodyWeight;
        private long bodyHeld; // bytes as received the copy held when kept, until it is made
        private Verification keptVerification;
        private String replayOf = "";
        private String replayedBy = "";

        public Entry(
                String deliveryId,
                Instant receivedAt,
                String remoteAddress,
                Activity activity,
                String verification,
                int status,
                Outcome.Kind outcome,
                String reason,
                MatchResult match,
                Map<String, ScheduleResult> scheduling) {
            this(
                    deliveryId,
                    receivedAt,
                    remoteAddress,
                    activity,
                    verification,
                    Audience.NONE,
                    status,
                    outcome,
                    reason,
                    match,
                    scheduling,
                    null);
        }

        /** An entry read back from disk: what the page showed, without the match it came from. */
        public Entry(
                String deliveryId,
                Instant receivedAt,
                String remoteAddress,
                Activity activity,
                String verification,
                Audience audience,
                int status,
                Outcome.Kind outcome,
                String reason,
                StoredJobs jobs) {
            this(
                    deliveryId,
                    receivedAt,
                    remoteAddress,
                    activity,
                    verification,
                    audience,
                    status,
                    outcome,
                    reason,
                    null,
                    Map.of(),
                    jobs == null ? StoredJobs.NONE : jobs);
        }

        private Entry(
                String deliveryId,
                Instant receivedAt,
                String remoteAddress,
                Activity activity,
                String verification,
                Audience audience,
                int status,
                Outcome.Kind outcome,
                String reason,
                MatchResult match,
                Map<String, ScheduleResult> scheduling,
                StoredJobs stored) {
            this.deliveryId = deliveryId;
            this.receivedAt = receivedAt;
            this.remoteAddress = Clip.to(remoteAddress, MAX_TEXT);
            // Only what the page and the file show: the log holds thousands of entries (see ENTRY_CHARS).
            this.activity = activity == null ? null : activity.identity();
            this.verification = Clip.to(verification, MAX_TEXT);
            this.audience = audience == null ? Audience.NONE : audience;
            this.status = status;
            this.outcome = outcome;
            this.reason = Clip.to(reason, MAX_TEXT);
            this.match = match;
            this.scheduling = Map.copyOf(scheduling);
            this.stored = stored;
        }

        /** This entry in its stored form, with its jobs as {@link #storedJobs} made them. */
        Entry settled(StoredJobs jobs) {
            return copy(status, outcome, reason, null, Map.of(), jobs);
        }

        /** Its jobs as the stored form keeps them; made from the match for a live entry. */
        public StoredJobs storedJobs() {
            if (stored != null) {
                return stored;
            }
            if (match == null) {
                return StoredJobs.NONE;
            }
            List<MatchResult.Match> m = match.matched();
            List<MatchResult.TargetResult> matched = new ArrayList<>(Math.min(m.size(), MAX_MATCHED_STORED));
            for (int i = 0; i < m.size() && i < MAX_MATCHED_STORED; i++) {
                matched.add(applied(m.get(i).targetId()));
            }
            List<MatchResult.TargetResult> considered = new ArrayList<>();
            // A small controller keeps every job's reason (all fit); a large one, those of the candidates.
            boolean everyJob = match.triggerCount() <= MatchResult.MAX_PAGE
                    && match.triggerCount() - m.size() <= MAX_CONSIDERED_STORED;
            for (MatchResult.TargetResult t :
                    everyJob ? match.page(null, 0, MatchResult.MAX_PAGE).results() : match.considered()) {
                if (!t.matched()) {
                    if (considered.size() == MAX_CONSIDERED_STORED) {
                        break;
                    }
                    considered.add(t);
                }
            }
            return new StoredJobs(
                    match.triggerCount(), matched, m.size() - matched.size(), considered, match.summary());
        }

        private Entry copy(
                int newStatus,
                Outcome.Kind newOutcome,
                String newReason,
                MatchResult newMatch,
                Map<String, ScheduleResult> results,
                StoredJobs newStored) {
            Entry e = new Entry(
                    deliveryId,
                    receivedAt,
                    remoteAddress,
                    activity,
                    verification,
                    audience,
                    newStatus,
                    newOutcome,
                    newReason,
                    newMatch,
                    results,
                    newStored);
            synchronized (this) {
                e.body = body;
                e.bodyWeight = bodyWeight;
                e.bodyHeld = bodyHeld;
                e.keptVerification = keptVerification;
                e.replayOf = replayOf;
                e.replayedBy = replayedBy;
            }
            return e;
        }

        Entry withScheduling(
                int newStatus, Outcome.Kind newOutcome, String newReason, Map<String, ScheduleResult> results) {
            // A stored entry keeps its stored per-job results: the match they came from is gone.
            return copy(newStatus, newOutcome, newReason, match, stored == null ? results : Map.of(), stored);
        }

        /**
         * Whether queuing this target of the entry reported {@link ScheduleResult.Status#QUEUED}, with or without a
         * detail (a multibranch project's words on its branch job). An entry restored after a restart has only the
         * words it was stored with, so for it they decide.
         */
        boolean queued(MatchResult.TargetResult t) {
            if (!t.matched()) {
                return false;
            }
            if (stored != null) {
                return ScheduleResult.describesQueued(t.reason());
            }
            ScheduleResult s = scheduling.get(t.targetId());
            return s != null && s.status() == ScheduleResult.Status.QUEUED;
        }

        /** Whether its redacted body is still kept, so that it can be replayed. */
        public synchronized boolean replayable() {
            return body != null;
        }

        /** The redacted body, made now if it was not yet; null when none is kept. */
        public String body() {
            RedactedCopy b;
            synchronized (this) {
                b = body;
            }
            return b == null ? null : b.get();
        }

        synchronized RedactedCopy bodyCopy() {
            return body;
        }

        public synchronized Verification keptVerification() {
            return keptVerification;
        }

        public synchronized void keep(RedactedCopy redactedBody, long held, Verification v) {
            body = redactedBody;
            bodyWeight = redactedBody.weight();
            bodyHeld = held;
            keptVerification = v;
        }

        synchronized void dropBody() {
            body = null;
            bodyWeight = 0;
            bodyHeld = 0;
        }

        synchronized long bodyHeld() {
            return bodyHeld;
        }

        synchronized long bodyWeight() {
            return bodyWeight;
        }

        /** Counts the copy at its real length once made; returns by how much its weight changed. */
        synchronized long reweigh() {
            if (body == null || !body.made()) {
                return 0;
            }
            bodyHeld = 0;
            long was = bodyWeight;
            bodyWeight = body.weight();
            return bodyWeight - was;
        }

        /** The delivery this entry replayed; empty for a delivery that came from Platform.sh. */
        public synchronized String replayOf() {
            return replayOf;
        }

        /** Who replayed it; empty unless {@link #replayOf()} is set. */
        public synchronized String replayedBy() {
            return replayedBy;
        }

        public synchronized void markReplay(String originalId, String by) {
            replayOf = java.util.Objects.requireNonNullElse(originalId, "");
            replayedBy = java.util.Objects.requireNonNullElse(by, "");
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

        /** Whether the delivery was unsigned, accepted by configuration: no key verified it. */
        public boolean unsigned() {
            return UNSIGNED.equals(verification);
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

        /** What queuing did for a matched job; null for any other job, or before it was queued. */
        public ScheduleResult scheduling(String targetId) {
            return scheduling.get(targetId);
        }

        /** Jobs with a trigger when it was matched (as stored, after a restart); 0 when refused before matching. */
        public int jobCount() {
            return stored != null ? stored.jobCount() : match == null ? 0 : match.triggerCount();
        }

        /** How many jobs it matched, including those a stored entry no longer lists. */
        public int matchedCount() {
            return stored != null
                    ? stored.matched().size() + stored.matchedNotStored()
                    : match == null ? 0 : match.matched().size();
        }

        /**
         * The matched jobs, with what queuing did for each applied (queued / skipped / failed, in words; a matched
         * job that could not be queued is not {@code matched}), in configuration order. A stored entry lists at most
         * {@link #MAX_MATCHED_STORED}.
         */
        public List<MatchResult.TargetResult> matchedJobs() {
            if (stored != null) {
                return stored.matched();
            }
            if (match == null) {
                return List.of();
            }
            List<MatchResult.Match> m = match.matched();
            List<MatchResult.TargetResult> out = new ArrayList<>(m.size());
            m.forEach(x -> out.add(applied(x.targetId())));
            return out;
        }

        private MatchResult.TargetResult applied(String targetId) {
            return apply(new MatchResult.TargetResult(targetId, true, "matched"));
        }

        private MatchResult.TargetResult apply(MatchResult.TargetResult r) {
            ScheduleResult s = r == null || !r.matched() ? null : scheduling.get(r.targetId());
            return s == null
                    ? r
                    : new MatchResult.TargetResult(
                            r.targetId(), s.status() == ScheduleResult.Status.QUEUED, s.describe());
        }

        /** The non-matched jobs by reason, largest group first (see {@link MatchResult#summary()}). */
        public List<MatchResult.ReasonCount> summary() {
            if (stored != null) {
                return stored.summary();
            }
            return match == null ? List.of() : match.summary();
        }

        /**
         * Every job whose name contains {@code nameFilter} (ignoring case), paginated, with scheduling applied to the
         * matched ones. A stored entry has only the jobs it kept: its matched jobs, then its candidates.
         */
        public MatchResult.JobPage jobs(String nameFilter, int offset, int limit) {
            if (match != null) {
                MatchResult.JobPage p = match.page(nameFilter, offset, limit);
                List<MatchResult.TargetResult> out = new ArrayList<>(p.results().size());
                p.results().forEach(r -> out.add(apply(r)));
                return new MatchResult.JobPage(p.total(), List.copyOf(out));
            }
            List<MatchResult.TargetResult> all = new ArrayList<>();
            if (stored != null) {
                all.addAll(stored.matched());
                all.addAll(stored.considered());
            }
            if (nameFilter != null && !nameFilter.isEmpty()) {
                all.removeIf(t -> !MatchResult.containsIgnoringCase(t.targetId(), nameFilter));
            }
            int from = Math.min(Math.max(0, offset), all.size());
            int to = Math.min(all.size(), from + Math.max(1, Math.min(MatchResult.MAX_PAGE, limit)));
            return new MatchResult.JobPage(all.size(), List.copyOf(all.subList(from, to)));
        }

        /**
         * This job's result (scheduling applied), or null if it had no trigger then, or it is not among the jobs a
         * stored entry kept.
         */
        public MatchResult.TargetResult resultFor(String targetId) {
            if (stored != null) {
                return stored.find(targetId);
            }
            return match == null ? null : apply(match.resultFor(targetId));
        }

        /**
         * Whether a key valid for this job verified the delivery: a global key (or an additional key valid for its
         * project) or the job's own key; never an unsigned delivery. The rule of {@link Verification#maySee}.
         */
        public boolean visibleTo(String targetId) {
            return audience.maySee(targetId);
        }

        /** What {@link #visibleTo} reads, for the state file. */
        public Audience audience() {
            return audience;
        }

        /** Whether it still holds its match (else it is in its stored form, or was refused before matching). */
        public boolean live() {
            return match != null;
        }

        MatchResult match() {
            return match;
        }

        /**
         * For older callers (see {@link #matchedJobs}, {@link #summary}, {@link #jobs} and {@link #resultFor}), bounded:
         * with at most {@link MatchResult#MAX_PAGE} jobs, every job in configuration order, as before; with more, the
         * matched jobs and the candidates the index looked at; for a stored entry, the jobs it kept.
         */
        @Deprecated
        public List<MatchResult.TargetResult> targets() {
            if (stored != null) {
                List<MatchResult.TargetResult> all = new ArrayList<>(stored.matched());
                all.addAll(stored.considered());
                return all;
            }
            if (match == null) {
                return List.of();
            }
            if (match.triggerCount() <= MatchResult.MAX_PAGE) {
                return jobs(null, 0, MatchResult.MAX_PAGE).results();
            }
            List<MatchResult.TargetResult> out = new ArrayList<>();
            match.considered().forEach(r -> out.add(apply(r)));
            return out;
        }
    }

    /** The most characters kept of an entry's answer, verification and remote address (a marker follows a cut). */
    public static final int MAX_TEXT = 400;

    /**
     * An upper bound, in characters, of what one entry holds besides its per-job results and its replay body: its id,
     * time and outcome, three texts of {@link #MAX_TEXT} and the activity's identity (id, type, project, environment,
     * machine name, state and result within their {@link FieldBounds bounds}), each with room for the marker.
     */
    public static final int ENTRY_CHARS = 256
            + 3 * (MAX_TEXT + Clip.MARKER.length())
            + FieldBounds.ID
            + FieldBounds.TYPE
            + FieldBounds.PROJECT
            + 2 * FieldBounds.ENVIRONMENT
            + FieldBounds.STATE
            + FieldBounds.RESULT
            + 7 * Clip.MARKER.length();

    /**
     * An upper bound, in characters, of one job's result in an entry: the job's name (Jenkins', not the payload's:
     * {@code jobName} characters) and a reason of at most {@link MatchResult#MAX_REASON} and the marker.
     */
    public static long targetChars(int jobName) {
        return jobName + MatchResult.MAX_REASON + Clip.MARKER.length() + 64L;
    }

    /** An upper bound, in characters, of an entry's summary: its groups, each a clipped label and a count. */
    public static final int SUMMARY_CHARS =
            MatchResult.MAX_GROUPS * (MatchResult.MAX_REASON + Clip.MARKER.length() + 32);

    /** The most per-job results an entry keeps in its stored form: matched jobs and candidates. */
    public static final int STORED_RESULTS = MAX_MATCHED_STORED + MAX_CONSIDERED_STORED;

    /** The counter of replays, beside those of deliveries by outcome. */
    public static final String REPLAYED = "replayed";

    /** How many unverified refusals are kept, at most; they are all counted. */
    public static final int REFUSED_SAMPLE_SIZE = 20;

    /**
     * How many unsigned deliveries (accepted by configuration) are kept at most, beside the log's size: a flood of
     * them replaces only each other, never a verified delivery. They are all counted.
     */
    public static final int UNSIGNED_SAMPLE_SIZE = 50;

    /** How an unsigned delivery's entry names its verification, live and read back from disk alike. */
    private static final String UNSIGNED = Verification.unsigned().reason();

    private final LinkedList<Entry> entries = new LinkedList<>();
    /** How many of {@link #entries} are {@link Entry#unsigned unsigned}; guarded by this. */
    private int unsignedEntries;

    private final LinkedList<Entry> refused = new LinkedList<>();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    /** Bumped on every change, so that a writer knows whether there is anything new to store. */
    private final AtomicLong changes = new AtomicLong();

    private volatile int capacity;
    /** Copies held elsewhere, for the writer to make; guarded by this. */
    private final java.util.ArrayDeque<ToMake> toMake = new java.util.ArrayDeque<>();

    /** A copy to make, with the bytes as received it held when queued. */
    private record ToMake(RedactedCopy copy, long held) {}

    private long toMakeHeld;

    /** Bytes as received held by the kept copies not made yet (as of their keeping); guarded by this. */
    private long entriesHeld;

    public static final int MAX_COPIES_TO_MAKE = 1024;

    /** The most bytes as received that copies not made yet may hold, kept here and queued, each. */
    static final long MAX_HELD_BYTES = 16L * 1024 * 1024;

    /** Redacted body characters kept in all for replay, and the most allowed. Guarded by this. */
    private long bodyChars;

    private long bodyBudget = DeliverySettings.DEFAULT_REPLAY_BYTES;

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

    public synchronized String add(
            Instant at, String remoteAddress, Activity activity, Verification verification, Outcome outcome) {
        count(outcome.kind(), outcome.status());
        return record(at, remoteAddress, activity, verification, outcome);
    }

    private String record(
            Instant at, String remoteAddress, Activity activity, Verification verification, Outcome outcome) {
        if (capacity == 0) {
            return "";
        }
        String id = "d" + sequence.incrementAndGet();
        Entry entry = new Entry(
                id,
                at,
                remoteAddress,
                activity,
                verification == null ? "" : verification.reason(),
                verification == null ? Audience.NONE : verification.audience(),
                outcome.status(),
                outcome.kind(),
                outcome.body(),
                outcome.match().orElse(null),
                Map.of(),
                null);
        if (unverifiedRefusal(outcome, verification)) {
            refused.addFirst(entry);
        } else {
            entries.addFirst(entry);
            unsignedEntries += entry.unsigned() ? 1 : 0;
        }
        trim();
        return id;
    }

    /**
     * Refused, and no key verified it: what an anonymous caller can produce at will, including a 503 when Jenkins could
     * not read its keys (any signature header triggers a lookup). With unsigned deliveries accepted, a malformed
     * unsigned body is anonymous noise too.
     */
    private static boolean unverifiedRefusal(Outcome outcome, Verification verification) {
        return outcome.kind() == Outcome.Kind.REJECTED
                && (verification == null || verification.status() != Verification.Status.VERIFIED);
    }

    public void countOnly(Outcome outcome) {
        count(outcome.kind(), outcome.status());
    }

    /** Adds scheduling results to an entry still in the log (if any); a failed delivery moves its count. */
    public synchronized void update(
            String deliveryId, Outcome before, Outcome after, Map<String, ScheduleResult> results) {
        if (before.kind() != after.kind() && !isReplay(deliveryId)) {
            counter(key(before.kind(), before.status())).decrement();
            count(after.kind(), after.status());
        }
        for (ListIterator<Entry> it = entries.listIterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.deliveryId().equals(deliveryId)) {
                // A note() made before this (a branch job that appeared while the answer was being made) is newer
                // than the result queuing returned, so it stays.
                Map<String, ScheduleResult> merged = new HashMap<>(results);
                merged.putAll(e.scheduling);
                it.set(e.withScheduling(after.status(), after.kind(), after.body(), merged));
                changes.incrementAndGet();
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
                changes.incrementAndGet(); // so that the state store writes it
                return;
            }
        }
    }

    /**
     * Verified deliveries and unsigned ones each within their own number, newest kept: the oldest of a class over its
     * number go. Walks from the oldest end and stops once both fit, so a full log costs a step or two per delivery, not
     * a walk of every entry (which, twice per delivery over 200 entries, was a tenth of a 14 KB delivery's time).
     */
    private void trim() {
        int unsignedRoom = Math.min(capacity, UNSIGNED_SAMPLE_SIZE);
        for (java.util.Iterator<Entry> it = entries.descendingIterator();
                it.hasNext() && (entries.size() - unsignedEntries > capacity || unsignedEntries > unsignedRoom); ) {
            Entry e = it.next();
            boolean unsigned = e.unsigned();
            if (unsigned ? unsignedEntries > unsignedRoom : entries.size() - unsignedEntries > capacity) {
                forgetBody(e);
                it.remove();
                unsignedEntries -= unsigned ? 1 : 0;
            }
        }
        while (refused.size() > Math.min(capacity, REFUSED_SAMPLE_SIZE)) {
            refused.removeLast();
        }
    }

    /** Changes how much body text is kept; the oldest bodies go at once if it shrinks. */
    public synchronized void limitBodies(long maxChars) {
        bodyBudget = Math.max(0, maxChars);
        fitBodies(0);
    }

    /**
     * Keeps the redacted body of a recorded delivery for replay, dropping the bodies of the oldest entries if the
     * total would exceed the budget; a body larger than the whole budget is not kept. The entry stays either way. A
     * copy not made yet counts at its {@link RedactedCopy#weight estimate} until {@link #settleBodies}.
     */
    public synchronized void keepBody(String deliveryId, RedactedCopy redactedBody, Verification v) {
        Entry e = find(deliveryId);
        if (e == null
                || redactedBody == null
                || v == null
                || v.status() != Verification.Status.VERIFIED // an unsigned body is anyone's: never kept
                || redactedBody.weight() > bodyBudget
                || e.replayable()) {
            return;
        }
        long held = redactedBody.heldBytes();
        if (held > 0 && entriesHeld + toMakeHeld + held > MAX_HELD_BYTES) {
            // More bodies arrived than the writer has made copies of (over 16 MiB as received, within its delay):
            // this one is not kept for replay, rather than redacted on the request path or held without bound.
            return;
        }
        fitBodies(redactedBody.weight());
        e.keep(redactedBody, held, v);
        bodyChars += e.bodyWeight();
        entriesHeld += held;
        changes.incrementAndGet();
    }

    /**
     * Makes the redacted copies not made yet, outside the log's lock, and counts each at its real length (until then
     * it counted as long as the body it comes from: a large {@code log} is not in the copy). Called by the state
     * writer before it writes, so that the copies are made off the request path.
     */
    public void settleBodies() {
        List<RedactedCopy> pending = new ArrayList<>();
        synchronized (this) {
            toMake.forEach(t -> pending.add(t.copy()));
            toMake.clear();
            toMakeHeld = 0;
            for (Entry e : entries) {
                RedactedCopy b = e.bodyCopy();
                if (b != null && !b.made()) {
                    pending.add(b);
                }
            }
        }
        pending.forEach(RedactedCopy::get);
        // Every entry, not only those made here: a queued build makes its delivery's copy on the request path.
        synchronized (this) {
            long held = 0;
            for (Entry e : entries) {
                bodyChars += e.reweigh();
                held += e.bodyHeld();
            }
            entriesHeld = held;
            fitBodies(0);
        }
        settleJobs();
    }

    /**
     * The most jobs the live entries may hold between them: the sizes of the distinct job lists they keep (entries
     * matched against the same triggers share one) plus each one's matched jobs and candidates. Past it, the oldest
     * entries are turned into their stored form (see {@link StoredJobs}).
     */
    public static final int MAX_LIVE_TARGETS = 100_000;

    /**
     * Bounds the job lists the live entries retain, and computes each live entry's summary once, so that the page does
     * not. Called by the state writer (in {@link #settleBodies}): the summaries and stored forms, O(jobs) each, are
     * made outside the log's lock, never on the request path.
     */
    void settleJobs() {
        List<Entry> live = new ArrayList<>();
        List<Entry> over = new ArrayList<>();
        synchronized (this) {
            java.util.Set<Object> lists = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            long weight = 0;
            for (Entry e : entries) { // newest first: the oldest go first
                MatchResult m = e.match();
                if (m == null) {
                    continue;
                }
                long w = (long) m.matched().size() + m.candidateCount();
                if (!lists.contains(m.jobList())) {
                    w += m.triggerCount();
                }
                if (weight + w > MAX_LIVE_TARGETS && weight > 0) {
                    over.add(e);
                } else {
                    weight += w;
                    lists.add(m.jobList());
                    live.add(e);
                }
            }
        }
        live.forEach(e -> e.match().summary());
        Map<Entry, StoredJobs> settled = new java.util.IdentityHashMap<>();
        over.forEach(e -> settled.put(e, e.storedJobs()));
        if (settled.isEmpty()) {
            return;
        }
        synchronized (this) {
            for (ListIterator<Entry> it = entries.listIterator(); it.hasNext(); ) {
                Entry e = it.next();
                StoredJobs jobs = settled.get(e);
                if (jobs != null) { // not replaced meanwhile (a later scheduling result): else the next settle does it
                    it.set(e.settled(jobs)); // under the lock: the body it keeps now comes along
                }
            }
            changes.incrementAndGet();
        }
    }

    /**
     * Asks the next {@link #settleBodies} to make a copy that something other than this log holds (the wait memory),
     * so that the body as received does not stay in memory until that holder asks.
     */
    public synchronized void settleLater(RedactedCopy copy) {
        if (copy.made()) {
            return;
        }
        ToMake t = new ToMake(copy, copy.heldBytes());
        toMake.addLast(t);
        toMakeHeld += t.held();
        // Bounded: if the writer falls this far behind, the oldest are left to their holders (which bound them too).
        while (toMake.size() > 1 && (toMake.size() > MAX_COPIES_TO_MAKE || toMakeHeld > MAX_HELD_BYTES)) {
            toMakeHeld -= toMake.removeFirst().held();
        }
    }

    /** Drops the oldest bodies until {@code room} more characters fit. */
    private void fitBodies(long room) {
        for (java.util.Iterator<Entry> it = entries.descendingIterator();
                it.hasNext() && bodyChars + room > bodyBudget; ) {
            forgetBody(it.next());
        }
    }

    private void forgetBody(Entry e) {
        if (e.replayable()) {
            bodyChars -= e.bodyWeight();
            entriesHeld -= e.bodyHeld();
            e.dropBody();
            changes.incrementAndGet();
        }
    }

    /** Whether the entry with this id records a replay. */
    public synchronized boolean isReplay(String deliveryId) {
        Entry e = find(deliveryId);
        return e != null && !e.replayOf().isEmpty();
    }

    /** The jobs this delivery, and every replay of it still in the log, queued a build for. */
    public synchronized java.util.Set<String> builtFor(String deliveryId) {
        java.util.Set<String> built = new java.util.HashSet<>();
        for (Entry e : entries) {
            if (e.deliveryId().equals(deliveryId) || e.replayOf().equals(deliveryId)) {
                for (MatchResult.TargetResult t : e.matchedJobs()) {
                    if (e.queued(t)) {
                        built.add(t.targetId());
                    }
                }
            }
        }
        return built;
    }

    /** Records a replay as an entry of its own, linked to the original. */
    public synchronized String addReplay(
            Instant at, String originalId, String by, Activity activity, Verification verification, Outcome outcome) {
        // Counted apart: the counters (and metrics) count what senders delivered, not what administrators replayed.
        counter(REPLAYED).increment();
        changes.incrementAndGet();
        String id = record(at, "replay by " + by, activity, verification, outcome);
        Entry e = find(id);
        if (e != null) {
            e.markReplay(originalId, by);
        }
        return id;
    }

    /** Body characters kept now, for the configuration page. */
    public synchronized long bodyChars() {
        return bodyChars;
    }

    public synchronized int bodiesKept() {
        int n = 0;
        for (Entry e : entries) {
            n += e.replayable() ? 1 : 0;
        }
        return n;
    }

    private Entry find(String deliveryId) {
        for (Entry e : entries) {
            if (e.deliveryId().equals(deliveryId)) {
                return e;
            }
        }
        return null;
    }

    private void count(Outcome.Kind kind, int status) {
        counter(key(kind, status)).increment();
        changes.incrementAndGet();
    }

    /** How many changes so far; only its movement means anything. */
    public long changes() {
        return changes.get();
    }

    /** The last delivery id handed out, as a number: ids go on from there after a restart. */
    public synchronized long lastSequence() {
        return sequence.get();
    }

    /**
     * Merges what the log held before a restart into this one. Entries recorded since (if any) stay the newest, a
     * restored entry with the id of a live one is dropped, the bounds hold, counters add up, and new ids go on after
     * the restored ones, so that a build's link to its delivery keeps pointing at the right entry.
     */
    public synchronized void restore(
            List<Entry> olderEntries, List<Entry> olderRefused, Map<String, Long> olderCounters, long olderSequence) {
        java.util.Set<String> live = new java.util.HashSet<>();
        entries.forEach(e -> live.add(e.deliveryId()));
        refused.forEach(e -> live.add(e.deliveryId()));
        for (Entry e : olderEntries) {
            if (live.add(e.deliveryId())) {
                if (e.unsigned()) {
                    e.dropBody(); // kept by an earlier version; unsigned bodies are no longer kept
                }
                entries.addLast(e);
                unsignedEntries += e.unsigned() ? 1 : 0;
                bodyChars += e.bodyWeight();
            }
        }
        for (Entry e : olderRefused) {
            if (live.add(e.deliveryId())) {
                refused.addLast(e);
            }
        }
        olderCounters.forEach((k, v) -> {
            if (k != null && v != null && v > 0) {
                counter(k).add(v);
            }
        });
        sequence.accumulateAndGet(Math.max(0, olderSequence), Math::max);
        trim();
        fitBodies(0);
        changes.incrementAndGet();
    }

    private LongAdder counter(String key) {
        return counters.computeIfAbsent(key, k -> new LongAdder());
    }

    private static String key(Outcome.Kind kind, int status) {
        return kind == Outcome.Kind.REJECTED
                ? "rejected " + status
                : kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Deliveries that a key verified, and refusals after that (malformed, wrong project), newest first. */
    public synchronized List<Entry> newestFirst() {
        return List.copyOf(entries);
    }

    /** One delivery as one job saw it. */
    public record JobDelivery(Entry entry, MatchResult.TargetResult result) {}

    /**
     * The deliveries that reached this job, newest first, at most {@code limit}: those it may see ({@link
     * Entry#visibleTo}) in which it had a trigger ({@link Entry#resultFor} not null). Each costs one look-up per entry.
     */
    public List<JobDelivery> forTarget(String targetId, int limit) {
        return forTarget(targetId, null, limit);
    }

    /**
     * The same, for a job whose trigger is {@code current} now: when it names projects, only deliveries for one of
     * them, so that an additional key of another project, valid for the global configuration, does not show that
     * project's deliveries on this job's page (issue 21's rule for waits: the additional keys of its projects). The
     * walk happens outside the log's lock: a page reloaded in a loop must not hold up the deliveries being recorded.
     */
    public List<JobDelivery> forTarget(String targetId, TriggerSpec current, int limit) {
        List<Entry> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(entries);
        }
        List<JobDelivery> out = new ArrayList<>();
        for (Entry e : snapshot) {
            if (out.size() >= limit) {
                break;
            }
            if (e.visibleTo(targetId) && (current == null || current.acceptsProject(e.project()))) {
                MatchResult.TargetResult r = e.resultFor(targetId);
                if (r != null) {
                    out.add(new JobDelivery(e, r));
                }
            }
        }
        return out;
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
