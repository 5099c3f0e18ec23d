package io.jenkins.plugins.platformsh.delivery.wait;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.redact.RedactedCopy;
import io.jenkins.plugins.platformsh.delivery.schedule.ActivityView;
import io.jenkins.plugins.platformsh.delivery.verify.NamedKey;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The waiting steps of this Jenkins and the one decision about them: which waits a verified delivery releases. A
 * wait is released at most once (it leaves the index in the same critical section that decides it), only by a
 * delivery it matches and that is verified for it, and registering a wait and offering a delivery are serialised,
 * so a delivery either meets the wait in the index or is found in the recent memory when the wait registers.
 *
 * <p>Only a delivery first received after the build started counts: the caller offers no duplicate (the
 * de-duplication memory, which survives restarts, says which), a copy of one this memory still holds is not offered
 * again, and an activity whose own times are older than the build's start (by more than {@link Freshness#TOLERANCE})
 * does not count either. A wait sees, for its release and for its explanation, only deliveries its job may see
 * ({@link WaitSpec#maySee}).
 */
public final class Waits {

    public static final int MEMORY_SIZE = 100;
    public static final Duration MEMORY_AGE = Duration.ofMinutes(60);
    /** Larger payloads are remembered without their body: the step's map then has no {@code payload}. */
    static final int MAX_REMEMBERED_PAYLOAD = 64 * 1024;

    private static final int RELEASES_KEPT = 500;
    private static final int EXPLAINED = 10;

    private final Clock clock;
    private final WaitIndex index = new WaitIndex();
    private final AtomicLong keysVersion = new AtomicLong();
    private final RecentDeliveries memory;
    /** Delivery id to the waits it released, in words, for the deliveries page. */
    private final Map<String, List<String>> releasedBy = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
            return size() > RELEASES_KEPT;
        }
    };

    public Waits(Clock clock) {
        this(clock, MEMORY_SIZE, MEMORY_AGE);
    }

    public Waits(Clock clock, int memorySize, Duration memoryAge) {
        this.clock = clock;
        this.memory = new RecentDeliveries(memorySize, memoryAge);
    }

    /** What one delivery does to the waits. */
    public static final class Decision {
        static final Decision NONE = new Decision(List.of(), Map.of(), null);

        private final List<Release> released;
        private final Map<String, String> reasons;
        final RecentDeliveries.Entry entry;

        Decision(List<Release> released, Map<String, String> reasons, RecentDeliveries.Entry entry) {
            this.released = List.copyOf(released);
            this.reasons = Map.copyOf(reasons);
            this.entry = entry;
        }

        /** A delivery that reached no wait (refused, or a dry run of one). */
        public static Decision none() {
            return NONE;
        }

        /** Whether the wait memory holds the delivery's redacted copy, to hand to a wait that begins later. */
        public boolean keepsCopy() {
            return entry != null && entry.redactedPayload != null;
        }

        /** The waits released, in registration order. */
        public List<Release> released() {
            return released;
        }

        /** Wait id to why it was not released, for the waits the delivery was checked against. */
        public Map<String, String> reasons() {
            return reasons;
        }
    }

    /**
     * Registers a wait, unless a remembered delivery received since {@link Wait#since()} releases it: then that
     * release is returned and nothing stays registered. Registering the same id again replaces the wait.
     */
    public Optional<Release> register(Wait w) {
        RecentDeliveries.Entry found = null;
        synchronized (this) {
            for (RecentDeliveries.Entry e : memory.newestFirst(w.since(), clock.instant())) {
                if (mismatch(w, e.activity, e.verification) == null) {
                    found = e;
                    break;
                }
            }
            if (found == null) {
                keysChanged(index.get(w.id()));
                index.put(w);
                keysChanged(w);
                return Optional.empty();
            }
            keysChanged(index.remove(w.id()));
            note(found.deliveryId, List.of(w));
        }
        String payload = found.redactedPayload == null ? null : found.redactedPayload.get();
        return Optional.of(new Release(w, found.activity, ActivityView.toMap(found.activity, payload)));
    }

    /** Unregisters a wait (aborted, timed out); false if it was not waiting, for instance already released. */
    public synchronized boolean remove(String waitId) {
        Wait gone = index.remove(waitId);
        keysChanged(gone);
        return gone != null;
    }

    public synchronized boolean isWaiting(String waitId) {
        return index.get(waitId) != null;
    }

    /** Every waiting step, in registration order. */
    public synchronized List<Wait> waiting() {
        return index.all();
    }

    /**
     * Job to the keys its waits name, each in its role, so the adapter resolves those keys in that job's context.
     */
    public synchronized Map<String, Set<NamedKey>> credentialsByJob() {
        Map<String, Set<NamedKey>> out = new TreeMap<>();
        for (Wait w : index.all()) {
            if (!w.spec().ownKeys().isEmpty()) {
                out.computeIfAbsent(w.spec().job(), k -> new LinkedHashSet<>())
                        .addAll(w.spec().ownKeys());
            }
        }
        return out;
    }

    /**
     * Grows whenever a wait that names its own keys starts or ends: what {@link #credentialsByJob()} says changed
     * since the caller last looked only if this did. Lets the adapter resolve keys once per change, not per request.
     */
    public long keysVersion() {
        return keysVersion.get();
    }

    private void keysChanged(Wait w) {
        if (w != null && !w.spec().ownKeys().isEmpty()) {
            keysVersion.incrementAndGet();
        }
    }

    /**
     * A delivery received for the first time: the waits it matches leave the index and are returned, and a verified
     * one is remembered for waits registering later. The caller offers no duplicate: a copy received again is as old
     * as its first copy, which had its chance then. A copy the memory still holds (the de-duplication memory let it
     * through again, after a 503) releases nothing either. The redacted copy is the one the caller shares with what
     * else keeps it (the builds, the replay store): one delivery is redacted once, and only if something asks for it.
     */
    public Decision offer(Activity a, Verification v, int bodyLength, RedactedCopy redacted) {
        return decide(a, v, bodyLength, redacted, true, true);
    }

    /** The same, without any effect: what a dry run would release. */
    public Decision peek(Activity a, Verification v, int bodyLength, RedactedCopy redacted) {
        return decide(a, v, bodyLength, redacted, false, false);
    }

    private Decision decide(
            Activity a, Verification v, int bodyLength, RedactedCopy redacted, boolean remember, boolean release) {
        // Remembered as the supplier: the copy is made only if a wait is released by it, now or later.
        RedactedCopy kept = remember && memory.capacity() > 0 && bodyLength <= MAX_REMEMBERED_PAYLOAD ? redacted : null;
        List<Wait> released = new ArrayList<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        RecentDeliveries.Entry entry = null;
        synchronized (this) {
            boolean verified = v.status() == Verification.Status.VERIFIED;
            if (verified && memory.holds(a, v) != null) {
                return Decision.NONE; // a repeat: its first copy is remembered with the time it was first received
            }
            // Unsigned deliveries never release a wait nor explain one: not remembering them also keeps anyone able
            // to send one from pushing verified deliveries out of the memory.
            if (remember && verified) {
                entry = new RecentDeliveries.Entry(clock.instant(), a, v, kept, bodyLength);
                memory.add(entry);
            }
            for (Wait w : index.candidates(a)) {
                String why = mismatch(w, a, v);
                if (why != null) {
                    reasons.put(w.id(), why);
                } else {
                    released.add(w);
                    if (release) {
                        keysChanged(index.remove(w.id()));
                    }
                }
            }
        }
        if (released.isEmpty()) {
            return entry == null && reasons.isEmpty() ? Decision.NONE : new Decision(List.of(), reasons, entry);
        }
        Map<String, Object> view = ActivityView.toMap(a, redacted.get());
        List<Release> out = new ArrayList<>(released.size());
        for (Wait w : released) {
            // Each step gets its own copy: one Pipeline changing its map must not change another's.
            out.add(new Release(w, a, copy(view)));
        }
        return new Decision(out, reasons, entry);
    }

    /** Null when the delivery releases the wait: its job may see it, it matches, and its activity is recent. */
    private static String mismatch(Wait w, Activity a, Verification v) {
        String why = w.spec().mismatch(a, v);
        return why != null ? why : Freshness.stale(a, w.since());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> view) {
        return (Map<String, Object>) deepCopy(view);
    }

    private static Object deepCopy(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, deepCopy(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(v -> out.add(deepCopy(v)));
            return out;
        }
        return o;
    }

    /** Ties a decision to the delivery log entry it belongs to, once the log has given it an id. */
    public synchronized void delivered(Decision d, String deliveryId) {
        if (d.entry != null) {
            d.entry.deliveryId = deliveryId;
        }
        List<Wait> ws = new ArrayList<>();
        d.released.forEach(r -> ws.add(r.step()));
        note(deliveryId, ws);
    }

    private void note(String deliveryId, List<Wait> ws) {
        if (deliveryId == null || deliveryId.isEmpty() || ws.isEmpty()) {
            return;
        }
        List<String> list = releasedBy.computeIfAbsent(deliveryId, k -> new ArrayList<>());
        for (Wait w : ws) {
            list.add(w.owner() + ": " + w.spec().describe());
        }
    }

    /** The waits a delivery released, in words (owner: what it waited for); empty if none or forgotten. */
    public synchronized List<String> releasedBy(String deliveryId) {
        return List.copyOf(releasedBy.getOrDefault(deliveryId, List.of()));
    }

    /**
     * For a timeout: the remembered deliveries first received since the build started, newest first, each with why it
     * did not release the wait; only those its job may see ({@link WaitSpec#maySee}: never one verified only by
     * another job's key, never an unsigned one), and only of its projects when it names some.
     */
    public synchronized List<String> explain(Wait w) {
        List<String> out = new ArrayList<>();
        int more = 0;
        for (RecentDeliveries.Entry e : memory.newestFirst(w.since(), clock.instant())) {
            if (!w.spec().maySee(e.verification) || !w.spec().acceptsProject(e.activity.project())) {
                continue;
            }
            if (out.size() == EXPLAINED) {
                more++;
                continue;
            }
            String why = mismatch(w, e.activity, e.verification);
            out.add(line(e) + ": " + (why == null ? "it matched, but arrived after the wait had ended" : why));
        }
        if (more > 0) {
            out.add("... and " + more + " older");
        }
        return out;
    }

    private static String line(RecentDeliveries.Entry e) {
        Activity a = e.activity;
        return e.at + " " + a.type() + " " + a.state() + (a.result() == null ? "" : "/" + a.result())
                + " of environment " + a.environment() + " (project " + a.project() + ", activity " + a.id() + ")";
    }

    /** How the memory is bounded, in words for the timeout message. */
    public String memoryLimits() {
        return "the last " + memory.capacity() + " verified deliveries of the last "
                + memory.maxAge().toMinutes()
                + " minutes (fewer when their bodies pass 16 MiB together), forgotten on restart";
    }

    /** How many candidate waits deliveries have examined: cost, counted rather than timed. */
    public synchronized long examined() {
        return index.examined();
    }

    /** How many bucket entries the waiting steps make in the index: bounded per wait, whatever its lists. */
    public synchronized long bucketEntries() {
        return index.bucketEntries();
    }

    public synchronized int size() {
        return index.size();
    }

    /** The instant now, by the clock deadlines are computed with. */
    public Instant now() {
        return clock.instant();
    }
}
