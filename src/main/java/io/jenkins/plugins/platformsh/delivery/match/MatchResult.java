package io.jenkins.plugins.platformsh.delivery.match;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.text.Clip;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The jobs a delivery is for, and why each other job is not. Only the matched jobs and the candidates the index
 * looked at are known when the delivery is matched (as positions in the snapshot's job list, and for a candidate the
 * check it failed); every sentence, and the reasons of the jobs the index ruled out without looking, are made when
 * someone asks, from the same specs, so they are exact. What is kept is the snapshot's job list (shared by every
 * delivery matched against it, without its buckets) and a few bytes per candidate: never one object per job.
 */
public final class MatchResult {

    /** One job a delivery is for. */
    public record Match(String targetId, TriggerSpec spec) {}

    /**
     * One job and whether the delivery is for it, with the reason when not. The reason is cut at {@link #MAX_REASON}
     * characters (with the marker).
     */
    public record TargetResult(String targetId, boolean matched, String reason) {
        public TargetResult {
            reason = Clip.to(reason, MAX_REASON);
        }
    }

    /** Non-matched jobs grouped by why, largest group first. */
    public record ReasonCount(String reason, int jobs) {}

    /** One page of jobs: how many jobs pass the name filter in all, and this page of them, in configuration order. */
    public record JobPage(int total, List<TargetResult> results) {}

    /**
     * The most characters of one job's reason that are kept. A reason quotes at most {@value Clip#QUOTE} characters of
     * each payload value; the rest is the job's own filter text, its credentials id or what queuing said.
     */
    public static final int MAX_REASON = 400;

    /** The most groups {@link #summary()} gives, the last one being {@link #OTHER_REASONS} when more were found. */
    public static final int MAX_GROUPS = 10;

    /** The label of the group the smallest groups are folded into. */
    public static final String OTHER_REASONS = "other reasons";

    /** The most jobs a page of {@link #page} holds. */
    public static final int MAX_PAGE = 500;

    /** The most non-matched candidates {@link #considered()} lists (the matched jobs are all listed). */
    public static final int MAX_CONSIDERED = 500;

    private static final Mismatch[] KINDS = Mismatch.values();

    private final TriggerIndex.Jobs jobs;
    private final Activity activity;
    private final Verification verification;
    /** Positions of the matched jobs, ascending. */
    private final int[] matched;
    /** Positions of the candidates that did not match, ascending, and the check each failed. */
    private final int[] candidates;

    private final byte[] candidateKinds;
    private List<ReasonCount> summary; // guarded by this

    MatchResult(
            TriggerIndex.Jobs jobs,
            Activity activity,
            Verification verification,
            int[] matched,
            int[] candidates,
            byte[] kinds) {
        this.jobs = jobs;
        // Kept for the reasons computed later, held by the delivery log: only what matching reads, not commits or
        // texts.
        this.activity = activity.identity();
        this.verification = verification;
        Arrays.sort(matched);
        this.matched = matched;
        // Sorted together: the candidates came in bucket order. Each ordinal (never negative) with its kind in the low
        // byte of one long, so that a primitive sort keeps them paired.
        long[] paired = new long[candidates.length];
        for (int i = 0; i < paired.length; i++) {
            paired[i] = ((long) candidates[i] << 8) | (kinds[i] & 0xFF);
        }
        Arrays.sort(paired);
        this.candidates = new int[paired.length];
        this.candidateKinds = new byte[paired.length];
        for (int i = 0; i < paired.length; i++) {
            this.candidates[i] = (int) (paired[i] >>> 8);
            this.candidateKinds[i] = (byte) paired[i];
        }
    }

    /** The matched jobs, in configuration order (a view: nothing is copied). */
    public List<Match> matched() {
        return new AbstractList<>() {
            @Override
            public Match get(int i) {
                TriggerIndex.Entry e = jobs.get(matched[i]);
                return new Match(e.targetId(), e.spec());
            }

            @Override
            public int size() {
                return matched.length;
            }
        };
    }

    /** How many triggers were configured when the delivery was matched. */
    public int triggerCount() {
        return jobs.size();
    }

    /** How many non-matched jobs the index looked at (the others it ruled out by their buckets). */
    public int candidateCount() {
        return candidates.length;
    }

    /**
     * The matched jobs and the candidates the index looked at (at most {@link #MAX_CONSIDERED} of these), with their
     * reasons, in configuration order: never every job, unless every job was a candidate.
     */
    public List<TargetResult> considered() {
        int others = Math.min(candidates.length, MAX_CONSIDERED);
        List<TargetResult> out = new ArrayList<>(matched.length + others);
        int m = 0;
        int c = 0;
        while (m < matched.length || c < others) {
            if (c >= others || (m < matched.length && matched[m] < candidates[c])) {
                out.add(new TargetResult(jobs.get(matched[m++]).targetId(), true, "matched"));
            } else {
                out.add(result(jobs.get(candidates[c]), KINDS[candidateKinds[c]]));
                c++;
            }
        }
        return out;
    }

    /**
     * The non-matched jobs grouped by the check they failed, largest group first. A group is labelled with the
     * delivery's value ("project abc is not theirs"), or with the exact reason when every job of the group gives the
     * same one. Computed once, when first asked (the page, or the state writer's thread), then kept.
     */
    public synchronized List<ReasonCount> summary() {
        if (summary == null) {
            Object key = summaryKey();
            summary = jobs.summary(key);
            if (summary == null) {
                summary = computeSummary();
                jobs.summary(key, summary);
            }
        }
        return summary;
    }

    /** Everything a summary depends on besides the job list: what the checks and the labels read. */
    private Object summaryKey() {
        return java.util.Arrays.asList(
                activity.kind(),
                activity.type(),
                activity.project(),
                activity.environment(),
                activity.machineName(),
                activity.state(),
                activity.result(),
                verification.status(),
                verification.global(),
                verification.method(),
                verification.refs());
    }

    private List<ReasonCount> computeSummary() {
        int[] counts = new int[KINDS.length];
        TriggerIndex.Entry[] first = new TriggerIndex.Entry[KINDS.length];
        boolean[] mixed = new boolean[KINDS.length];
        int m = 0;
        int c = 0;
        for (int i = 0; i < jobs.size(); i++) {
            if (m < matched.length && matched[m] == i) {
                m++;
                continue;
            }
            TriggerIndex.Entry e = jobs.get(i);
            Mismatch kind;
            if (c < candidates.length && candidates[c] == i) {
                kind = KINDS[candidateKinds[c++]];
            } else {
                kind = e.spec().mismatchKind(activity, verification, e.targetId());
                if (kind == null) { // cannot happen for a job the index ruled out; counted rather than lost
                    kind = Mismatch.KEY;
                }
            }
            int k = kind.ordinal();
            if (counts[k]++ == 0) {
                first[k] = e;
            } else if (!mixed[k] && !first[k].spec().sameReason(kind, e.spec())) {
                mixed[k] = true;
            }
        }
        List<ReasonCount> groups = new ArrayList<>();
        for (Mismatch kind : KINDS) {
            int k = kind.ordinal();
            if (counts[k] > 0) {
                String label = mixed[k]
                        ? label(kind)
                        : first[k].spec().reason(kind, activity, verification, first[k].targetId());
                groups.add(new ReasonCount(Clip.to(label, MAX_REASON), counts[k]));
            }
        }
        groups.sort((x, y) -> Integer.compare(y.jobs(), x.jobs()));
        return fold(groups);
    }

    /** Keeps the {@link #MAX_GROUPS}-1 largest groups and folds the rest into {@link #OTHER_REASONS}. */
    public static List<ReasonCount> fold(List<ReasonCount> largestFirst) {
        if (largestFirst.size() <= MAX_GROUPS) {
            return List.copyOf(largestFirst);
        }
        List<ReasonCount> out = new ArrayList<>(largestFirst.subList(0, MAX_GROUPS - 1));
        int rest = 0;
        for (ReasonCount r : largestFirst.subList(MAX_GROUPS - 1, largestFirst.size())) {
            rest += r.jobs();
        }
        out.add(new ReasonCount(OTHER_REASONS, rest));
        return List.copyOf(out);
    }

    /** A group's label when its jobs give different reasons for the same check. */
    private String label(Mismatch kind) {
        return switch (kind) {
            case EVENT -> "event " + Clip.quote(activity.type()) + " is not theirs";
            case PROJECT -> "project " + Clip.quote(activity.project()) + " is not theirs";
            case ENVIRONMENT -> "environment " + Clip.quote(activity.environment()) + " is not theirs";
            case EXCLUDED -> "environment " + Clip.quote(activity.environment()) + " is excluded by them";
            case STATE -> "state " + Clip.quote(activity.state()) + " is not one they want";
            case RESULT ->
                "result " + Clip.quote(activity.result() == null ? "none" : activity.result())
                        + " is not one they want";
            case KEY -> "the delivery was not verified with a key they accept";
        };
    }

    /**
     * The jobs whose full name contains {@code nameFilter} (ignoring case; null or empty: every job), in configuration
     * order, from {@code offset}, at most {@code limit} (1 to {@link #MAX_PAGE}). Reasons are made for this page only.
     */
    public JobPage page(String nameFilter, int offset, int limit) {
        int from = Math.max(0, offset);
        int size = Math.max(1, Math.min(MAX_PAGE, limit));
        List<TargetResult> out = new ArrayList<>(Math.min(size, jobs.size()));
        if (nameFilter == null || nameFilter.isEmpty()) {
            for (int i = from; i < jobs.size() && out.size() < size; i++) {
                out.add(resultAt(i));
            }
            return new JobPage(jobs.size(), List.copyOf(out));
        }
        int total = 0;
        for (int i = 0; i < jobs.size(); i++) {
            if (containsIgnoringCase(jobs.get(i).targetId(), nameFilter)) {
                if (total >= from && out.size() < size) {
                    out.add(resultAt(i));
                }
                total++;
            }
        }
        return new JobPage(total, List.copyOf(out));
    }

    public static boolean containsIgnoringCase(String text, String part) {
        int n = part.length();
        for (int i = 0; i + n <= text.length(); i++) {
            if (text.regionMatches(true, i, part, 0, n)) {
                return true;
            }
        }
        return false;
    }

    /** The result for one job, or null if it had no trigger when the delivery arrived. Constant time, once built. */
    public TargetResult resultFor(String targetId) {
        TriggerIndex.Entry e = targetId == null ? null : jobs.named(targetId);
        return e == null ? null : resultAt(e.ordinal());
    }

    /** Whether this job was matched; false for a job unknown then. */
    public boolean isMatched(String targetId) {
        TriggerIndex.Entry e = targetId == null ? null : jobs.named(targetId);
        return e != null && Arrays.binarySearch(matched, e.ordinal()) >= 0;
    }

    private TargetResult resultAt(int ordinal) {
        TriggerIndex.Entry e = jobs.get(ordinal);
        if (Arrays.binarySearch(matched, ordinal) >= 0) {
            return new TargetResult(e.targetId(), true, "matched");
        }
        int c = Arrays.binarySearch(candidates, ordinal);
        Mismatch kind = c >= 0 ? KINDS[candidateKinds[c]] : e.spec().mismatchKind(activity, verification, e.targetId());
        // A job the index ruled out always fails a check; if not, it was still not matched.
        return kind == null ? new TargetResult(e.targetId(), false, "") : result(e, kind);
    }

    private TargetResult result(TriggerIndex.Entry e, Mismatch kind) {
        return new TargetResult(e.targetId(), false, e.spec().reason(kind, activity, verification, e.targetId()));
    }

    /** The job list this result shares with every delivery matched against the same triggers (for bounding). */
    public Object jobList() {
        return jobs;
    }
}
