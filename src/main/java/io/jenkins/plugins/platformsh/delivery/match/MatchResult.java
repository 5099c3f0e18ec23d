package io.jenkins.plugins.platformsh.delivery.match;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.text.Clip;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The jobs a delivery is for, and why each other job is not. The reasons for jobs the index ruled out without
 * looking are computed only when someone asks (the deliveries page), so a delivery's cost stays independent of the
 * number of jobs that cannot match.
 */
public final class MatchResult {

    /** One job a delivery is for. */
    public record Match(String targetId, TriggerSpec spec) {}

    /**
     * One job and whether the delivery is for it, with the reason when not. The reason is cut at {@link #MAX_REASON}
     * characters (with the marker): the log keeps one per job and delivery, in memory and in its file.
     */
    public record TargetResult(String targetId, boolean matched, String reason) {
        public TargetResult {
            reason = Clip.to(reason, MAX_REASON);
        }
    }

    /**
     * The most characters of one job's reason that are kept. A reason quotes at most {@value Clip#QUOTE} characters of
     * each payload value; the rest is the job's own filter text, its credentials id or what queuing said.
     */
    public static final int MAX_REASON = 400;

    private final TriggerIndex.Snapshot snapshot;
    private final Activity activity;
    private final Verification verification;
    private final List<Match> matched;
    private final Set<String> matchedIds;
    private final Map<TriggerIndex.Entry, String> knownReasons;
    private List<TargetResult> results;

    MatchResult(
            TriggerIndex.Snapshot snapshot,
            Activity activity,
            Verification verification,
            List<TriggerIndex.Entry> matched,
            Map<TriggerIndex.Entry, String> knownReasons) {
        this.snapshot = snapshot;
        // Kept for the reasons computed later, held by the delivery log: only what matching reads, not commits or
        // texts.
        this.activity = activity.identity();
        this.verification = verification;
        List<Match> m = new ArrayList<>(matched.size());
        Set<String> ids = new HashSet<>();
        for (TriggerIndex.Entry e : matched) {
            m.add(new Match(e.targetId(), e.spec()));
            ids.add(e.targetId());
        }
        this.matched = List.copyOf(m);
        this.matchedIds = Set.copyOf(ids);
        this.knownReasons = Map.copyOf(knownReasons);
    }

    public List<Match> matched() {
        return matched;
    }

    /** How many triggers were configured when the delivery was matched. */
    public int triggerCount() {
        return snapshot.all.size();
    }

    /** Every configured job, in configuration order, matched or with its reason. */
    public synchronized List<TargetResult> results() {
        if (results == null) {
            List<TargetResult> out = new ArrayList<>(snapshot.all.size());
            for (TriggerIndex.Entry e : snapshot.all) {
                if (matchedIds.contains(e.targetId())) {
                    out.add(new TargetResult(e.targetId(), true, "matched"));
                } else {
                    String why = knownReasons.get(e);
                    out.add(new TargetResult(
                            e.targetId(),
                            false,
                            why != null ? why : e.spec().mismatch(activity, verification, e.targetId())));
                }
            }
            results = List.copyOf(out);
        }
        return results;
    }

    /** The result for one job, or null if it had no trigger when the delivery arrived. */
    public TargetResult resultFor(String targetId) {
        for (TargetResult r : results()) {
            if (r.targetId().equals(targetId)) {
                return r;
            }
        }
        return null;
    }
}
