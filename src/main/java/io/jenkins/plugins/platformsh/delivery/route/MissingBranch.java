package io.jenkins.plugins.platformsh.delivery.route;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What a delivery does when its multibranch project has no branch job for the environment yet (a new environment,
 * {@code environment.branch}, {@code environment.activate}, a push that created a branch): have the project index its
 * branches, once, unless an indexing is already queued (the queue would fold a second request into it anyway; saying
 * so keeps the log honest) or an earlier delivery for the same environment recently had one ({@link RecentIndexing}),
 * then wait a bounded time for the branch job to appear.
 */
public final class MissingBranch {

    /** How long a delivery waits for its branch job by default: branch indexing of a large repository takes minutes. */
    public static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

    /** Whether to ask for an indexing, and what the deliveries page says meanwhile. */
    public record Plan(boolean scheduleIndexing, String detail) {}

    private MissingBranch() {}

    /**
     * The plan, given the indexing an earlier delivery for the same route asked for ({@link RecentIndexing}; null if
     * none): while it runs, or for one wait after it found no branch job, no second indexing is asked for.
     */
    public static Plan plan(
            RouteDecision missing, boolean indexingQueued, RecentIndexing.Seen earlier, Instant now, Duration wait) {
        String then = "; its job will be built once when it appears (waiting up to " + words(wait) + ")";
        if (earlier != null && earlier.foundNothing(now)) {
            return new Plan(
                    false,
                    missing.reason() + ": branch indexing for an earlier delivery found none, so it is not scheduled"
                            + " again before " + earlier.until().truncatedTo(ChronoUnit.SECONDS)
                            + then.replace("when it appears", "if it appears"));
        }
        if (earlier != null) {
            return new Plan(
                    false,
                    missing.reason() + ": branch indexing for an earlier delivery is under way, so it is not"
                            + " scheduled again" + then);
        }
        if (indexingQueued) {
            return new Plan(false, missing.reason() + ": branch indexing was already queued" + then);
        }
        return new Plan(true, missing.reason() + ": branch indexing scheduled" + then);
    }

    /** The wait in whole seconds or minutes, as a person would say it. */
    public static String words(Duration wait) {
        long s = Math.max(0, wait.getSeconds());
        if (s >= 60 && s % 60 == 0) {
            return s / 60 + (s == 60 ? " minute" : " minutes");
        }
        return s + (s == 1 ? " second" : " seconds");
    }

    /** The wait read from a property's text; nothing, junk, zero or less gives the default, and at most an hour. */
    public static Duration waitOf(String seconds) {
        if (seconds == null) {
            return DEFAULT_WAIT;
        }
        try {
            long s = Long.parseLong(seconds.trim());
            return s <= 0 ? DEFAULT_WAIT : Duration.ofSeconds(Math.min(s, 3600));
        } catch (NumberFormatException e) {
            return DEFAULT_WAIT;
        }
    }
}
