package io.jenkins.plugins.platformsh.delivery.route;

import java.util.List;
import java.util.Objects;

/**
 * What to do with a delivery that matched a multibranch project's trigger.
 *
 * @param kind build, skip with a reason, or the branch job is missing
 * @param jobs the branch jobs to build (names inside the project); empty unless {@link Kind#BUILD}
 * @param reason for the deliveries page: which branch job, or why none
 */
public record RouteDecision(Kind kind, List<String> jobs, String reason) {

    /** The three ends of routing. */
    public enum Kind {
        BUILD,
        /** A branch job exists but cannot build: permanent until someone acts, so no failure and no indexing. */
        SKIP,
        /** No branch job for this environment: index the project, then build the job if it appears. */
        MISSING
    }

    public RouteDecision {
        Objects.requireNonNull(kind, "kind");
        jobs = List.copyOf(jobs);
        reason = Objects.requireNonNullElse(reason, "");
    }
}
