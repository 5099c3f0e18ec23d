package io.jenkins.plugins.platformsh.delivery.match;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The configured triggers, indexed by project, event type and environment, so that a delivery is checked against
 * the triggers that could match it and not against every job of the instance.
 *
 * <p>Updates (a job saved, started or deleted) are rare and deliveries frequent: updates only mark the index stale,
 * and the next delivery rebuilds an immutable snapshot once. A delivery works on one snapshot from start to end, so
 * the reasons it records are consistent even while jobs are being saved.
 */
public final class TriggerIndex {

    private final Map<String, TriggerSpec> specs = new LinkedHashMap<>();
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    /**
     * Adds or replaces the trigger of a target (a job's full name). Each registration's own spec is kept, even when
     * equal to the one before (Jenkins starts triggers on save only, so the rebuild this costs is rare): deliveries
     * then match the instance that {@link #removeIfSame} compares, and a new registration is never taken for an old.
     */
    public synchronized void put(String targetId, TriggerSpec spec) {
        if (specs.put(targetId, spec) != spec) {
            snapshot = null;
        }
    }

    public synchronized void remove(String targetId) {
        if (specs.remove(targetId) != null) {
            snapshot = null;
        }
    }

    /**
     * Removes the target's trigger only if it is still the very spec a delivery was matched with ({@link
     * MatchResult.Match#spec()}); true if it was removed. A job found without its trigger while it is being renamed or
     * re-saved may have registered a new one since: that one stays.
     */
    public synchronized boolean removeIfSame(String targetId, TriggerSpec matched) {
        if (specs.get(targetId) != matched) {
            return false;
        }
        specs.remove(targetId);
        snapshot = null;
        return true;
    }

    public synchronized void clear() {
        specs.clear();
        snapshot = null;
    }

    public synchronized int size() {
        return specs.size();
    }

    public synchronized TriggerSpec get(String targetId) {
        return specs.get(targetId);
    }

    /** The distinct credentials ids triggers name, as a shared key or as a token. */
    public synchronized Set<String> credentialsIds() {
        Set<String> ids = new TreeSet<>();
        for (TriggerSpec s : specs.values()) {
            s.ownKeys().forEach(k -> ids.add(k.credentialsId()));
        }
        return ids;
    }

    /** Which triggers this verified delivery is for. */
    public MatchResult match(Activity activity, Verification verification) {
        return current().match(activity, verification);
    }

    /**
     * How many bucket entries the current triggers make, all together: at most {@link BucketKeys#MAX_PER_ENTRY} per
     * trigger, whatever its lists. Builds the snapshot if it is stale, as the next delivery would.
     */
    public long bucketEntries() {
        return current().bucketEntries;
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (snapshot == null) {
                snapshot = new Snapshot(specs);
            }
            return snapshot;
        }
    }

    /** One target and its trigger, with its place in configuration order. */
    record Entry(int ordinal, String targetId, TriggerSpec spec) {
        // The ordinal is unique within a snapshot: hashing the whole spec for every candidate cost more than the
        // bucket lookups.
        @Override
        public int hashCode() {
            return ordinal;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.ordinal == ordinal && e.targetId.equals(targetId) && e.spec == spec;
        }
    }

    /**
     * Every trigger of a snapshot in configuration order, without the buckets: what a delivery's result keeps, shared
     * by every delivery matched against the same snapshot. Finding a job by name builds a map once, when first asked.
     */
    static final class Jobs {
        final List<Entry> all;
        private volatile Map<String, Entry> byName;

        Jobs(List<Entry> all) {
            this.all = all;
        }

        int size() {
            return all.size();
        }

        Entry get(int ordinal) {
            return all.get(ordinal);
        }

        /** The job with this name, or null. */
        Entry named(String targetId) {
            Map<String, Entry> m = byName;
            if (m == null) {
                Map<String, Entry> built = new HashMap<>(all.size() * 4 / 3 + 1);
                all.forEach(e -> built.put(e.targetId(), e));
                byName = m = built;
            }
            return m.get(targetId);
        }
    }

    /** An immutable view of every trigger and of the buckets that index them. */
    static final class Snapshot {
        static final Snapshot EMPTY = new Snapshot(Map.of());

        final List<Entry> all;
        final Jobs jobs;
        /** Project, then event, then environment: looked up with the activity's own strings, nothing concatenated. */
        private final Map<String, Map<String, Map<String, List<Entry>>>> buckets;
        /** How many times a trigger is filed in a bucket, all triggers together. */
        final long bucketEntries;

        Snapshot(Map<String, TriggerSpec> specs) {
            List<Entry> entries = new ArrayList<>(specs.size());
            Map<String, Map<String, Map<String, List<Entry>>>> b = new HashMap<>();
            int i = 0;
            long filed = 0;
            for (Map.Entry<String, TriggerSpec> e : specs.entrySet()) {
                Entry entry = new Entry(i++, e.getKey(), e.getValue());
                entries.add(entry);
                TriggerSpec s = e.getValue();
                List<Set<String>> keys = BucketKeys.bounded(
                        Arrays.asList(s.indexableProjects(), s.events.exactOnly(), s.indexableEnvironments()));
                for (String p : keys.get(0)) {
                    for (String ev : keys.get(1)) {
                        for (String env : keys.get(2)) {
                            b.computeIfAbsent(p, k -> new HashMap<>())
                                    .computeIfAbsent(ev, k -> new HashMap<>())
                                    .computeIfAbsent(env, k -> new ArrayList<>(2))
                                    .add(entry);
                            filed++;
                        }
                    }
                }
            }
            this.all = Collections.unmodifiableList(entries);
            this.jobs = new Jobs(all);
            this.buckets = b;
            this.bucketEntries = filed;
        }

        MatchResult match(Activity a, Verification v) {
            Set<Entry> candidates = new LinkedHashSet<>();
            List<String> environments = BucketKeys.lookups(a.environment(), a.machineName());
            for (String p : BucketKeys.lookups(a.project(), null)) {
                Map<String, Map<String, List<Entry>>> byEvent = buckets.get(p);
                if (byEvent == null) {
                    continue;
                }
                for (String e : BucketKeys.lookups(a.type(), null)) {
                    Map<String, List<Entry>> byEnvironment = byEvent.get(e);
                    if (byEnvironment == null) {
                        continue;
                    }
                    for (String env : environments) {
                        List<Entry> hit = byEnvironment.get(env);
                        if (hit != null) {
                            candidates.addAll(hit);
                        }
                    }
                }
            }
            // Only which check failed is kept for a candidate: its sentence is made again, the same, when asked.
            int[] matched = new int[candidates.size()];
            int[] other = new int[candidates.size()];
            byte[] kinds = new byte[candidates.size()];
            int m = 0;
            int o = 0;
            for (Entry c : candidates) {
                Mismatch why = c.spec().mismatchKind(a, v, c.targetId());
                if (why == null) {
                    matched[m++] = c.ordinal();
                } else {
                    other[o] = c.ordinal();
                    kinds[o++] = (byte) why.ordinal();
                }
            }
            return new MatchResult(
                    jobs, a, v, Arrays.copyOf(matched, m), Arrays.copyOf(other, o), Arrays.copyOf(kinds, o));
        }
    }
}
