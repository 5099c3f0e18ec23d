package io.jenkins.plugins.platformsh.delivery.route;

import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Picks the branch job of a multibranch project that a delivery is for. A branch named exactly like the environment
 * (or its machine name) wins; only without one is {@code pr-N} read as change request N, because a git branch may
 * itself be called {@code pr-12}.
 */
public final class BranchRouter {

    private BranchRouter() {}

    /**
     * The decision for a delivery verified as {@code verification} says: only a delivery a key verified may have a
     * missing branch job looked for by branch indexing. With unsigned deliveries accepted, anyone could otherwise make
     * every multibranch project with the trigger index its repository for invented environment names; an unsigned
     * delivery builds a branch job that exists, and skips one that does not.
     *
     * @param verification how the delivery was verified; null counts as unsigned
     */
    public static RouteDecision route(BranchRoute route, BranchJobs jobs, Verification verification) {
        RouteDecision d = route(route, jobs);
        if (d.kind() == RouteDecision.Kind.MISSING
                && (verification == null || verification.status() != Verification.Status.VERIFIED)) {
            return new RouteDecision(
                    RouteDecision.Kind.SKIP,
                    List.of(),
                    d.reason() + ", and a delivery no key verified never schedules branch indexing");
        }
        return d;
    }

    /** Where the delivery goes, whoever sent it; {@link #route(BranchRoute, BranchJobs, Verification)} decides. */
    public static RouteDecision route(BranchRoute route, BranchJobs jobs) {
        if (route.isEmpty()) {
            return new RouteDecision(
                    RouteDecision.Kind.SKIP, List.of(), "the activity names no environment, so no branch job is meant");
        }
        for (String name : route.branchNames()) {
            BranchJob job = jobs.byBranchName(name);
            if (job != null) {
                return decide(List.of(job), "branch '" + name + "'");
            }
        }
        if (route.changeRequestId() != null) {
            List<BranchJob> found = jobs.byChangeRequest(route.changeRequestId());
            if (found != null && !found.isEmpty()) {
                return decide(found, "change request " + route.changeRequestId());
            }
        }
        return new RouteDecision(RouteDecision.Kind.MISSING, List.of(), "no branch job for " + route.describe());
    }

    /**
     * The decision without the branch jobs that this same delivery already builds through their own trigger
     * ({@code triggers { platformsh() }} in their Jenkinsfile): one delivery, one build per job.
     *
     * @param projectId the multibranch project's full name
     * @param scheduledTargets the full names of every target the delivery schedules
     */
    public static RouteDecision withoutOwnTriggers(RouteDecision d, String projectId, Set<String> scheduledTargets) {
        if (d.kind() != RouteDecision.Kind.BUILD) {
            return d;
        }
        List<String> left = new ArrayList<>();
        List<String> own = new ArrayList<>();
        for (String job : d.jobs()) {
            (scheduledTargets.contains(projectId + "/" + job) ? own : left).add(job);
        }
        if (own.isEmpty()) {
            return d;
        }
        if (left.isEmpty()) {
            return new RouteDecision(
                    RouteDecision.Kind.SKIP,
                    List.of(),
                    "the branch job " + String.join(", ", own)
                            + " is built by its own Platform.sh trigger for this delivery");
        }
        return new RouteDecision(
                RouteDecision.Kind.BUILD,
                left,
                "branch job " + String.join(", ", left) + " (" + String.join(", ", own) + " by its own trigger)");
    }

    /** Builds every buildable job of the head; only when none can build is the delivery skipped, with each reason. */
    private static RouteDecision decide(List<BranchJob> found, String what) {
        List<String> build = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (BranchJob j : found) {
            switch (j.state()) {
                case BUILDABLE -> build.add(j.jobName());
                case DISABLED -> reasons.add("the branch job " + j.jobName() + " is disabled");
                case ORPHANED ->
                    reasons.add("the branch job " + j.jobName() + " is orphaned: its branch is gone from the source");
            }
        }
        if (!build.isEmpty()) {
            return new RouteDecision(
                    RouteDecision.Kind.BUILD, build, "branch job " + String.join(", ", build) + " (" + what + ")");
        }
        return new RouteDecision(RouteDecision.Kind.SKIP, List.of(), String.join("; ", reasons));
    }
}
