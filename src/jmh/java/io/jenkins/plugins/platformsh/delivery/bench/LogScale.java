package io.jenkins.plugins.platformsh.delivery.bench;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The controller of issue 22: {@code jobs} triggers, 50 per Platform.sh project (one per environment, like branch jobs
 * of 200 repositories), and 200 deliveries in the log.
 *
 * <ul>
 *   <li>{@code none}: every delivery is for an environment no job wants (the measurement).
 *   <li>{@code mix}: in turn, an environment no job wants; one a job wants (it matches); one a job wants, in state
 *       {@code in_progress} (the job is a candidate that fails its state); and a project no job wants.
 *   <li>{@code churn}: as {@code none}, but a job is added before each delivery, so that no two deliveries share a job
 *       list: what {@code DeliveryLog.MAX_LIVE_TARGETS} bounds.
 * </ul>
 */
final class LogScale {

    static final int DELIVERIES = 200;
    static final int PER_PROJECT = 50;

    final TriggerIndex index = new TriggerIndex();
    final DeliveryLog log = new DeliveryLog(DELIVERIES);
    final int jobs;

    LogScale(int jobs, String flow) {
        this(jobs);
        deliver(flow);
    }

    /** The triggers alone, their snapshot built (as the first delivery would). */
    LogScale(int jobs) {
        this.jobs = jobs;
        for (int i = 0; i < jobs; i++) {
            index.put(
                    jobName(i),
                    TriggerSpec.builder()
                            .projects(project(i / PER_PROJECT))
                            .environments("env-" + (i % PER_PROJECT))
                            .build());
        }
        index.bucketEntries();
    }

    /** The 200 deliveries. */
    void deliver(String flow) {
        Verification v = Verification.verified(Set.of("global"), true, "signature");
        Instant at = Instant.parse("2026-12-06T00:00:00Z");
        for (int d = 0; d < DELIVERIES; d++) {
            int kind = "mix".equals(flow) ? d % 4 : 0;
            if ("churn".equals(flow)) { // a job saved before each delivery: each is matched against a new job list
                index.put("churn-" + d, TriggerSpec.builder().environments("churn").build());
            }
            Activity.Builder b = new Activity.Builder();
            b.id = "act" + d;
            b.type = "environment.push";
            b.project = kind == 3 ? "nobodys-project" : project(d % (jobs / PER_PROJECT));
            b.environment = kind == 1 || kind == 2 ? "env-" + (d % PER_PROJECT) : "nobodys-env";
            b.state = kind == 2 ? "in_progress" : "complete";
            Activity a = b.build();
            MatchResult m = index.match(a, v);
            Outcome o = new Outcome(
                    200,
                    m.matched().isEmpty() ? Outcome.Kind.IGNORED : Outcome.Kind.ACCEPTED,
                    "ok",
                    List.of(),
                    a,
                    m,
                    v,
                    "",
                    false);
            log.add(at.plusSeconds(d), "203.0.113.7", a, v, o);
        }
    }

    static String project(int p) {
        return "proj" + p + "q7r2abcde";
    }

    static String jobName(int i) {
        return "repo-" + (i / PER_PROJECT) + "/env-" + (i % PER_PROJECT);
    }

    /** What the deliveries page needs of every entry: counts, matched jobs, summary. */
    static long deliveriesPage(DeliveryLog log) {
        long n = 0;
        for (DeliveryLog.Entry e : log.newestFirst()) {
            n += e.jobCount() + e.matchedCount();
            for (MatchResult.TargetResult t : e.matchedJobs()) {
                n += t.reason().length();
            }
            for (MatchResult.ReasonCount r : e.summary()) {
                n += r.jobs() + r.reason().length();
            }
        }
        return n;
    }

    /** What the old results() built for one entry: every job's result, with its reason. */
    static List<MatchResult.TargetResult> everyJob(DeliveryLog.Entry e) {
        List<MatchResult.TargetResult> all = new java.util.ArrayList<>(e.jobCount());
        for (int from = 0; from < e.jobCount(); from += MatchResult.MAX_PAGE) {
            all.addAll(e.jobs(null, from, MatchResult.MAX_PAGE).results());
        }
        return all;
    }
}
