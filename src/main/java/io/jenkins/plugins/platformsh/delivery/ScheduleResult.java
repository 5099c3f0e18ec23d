package io.jenkins.plugins.platformsh.delivery;

import java.util.Objects;

/**
 * What queuing one build of an accepted delivery did, as the adapter reports it back. The difference between
 * skipped and failed decides the answer: a disabled job will not take a retry either, a queue that failed might.
 *
 * @param status what happened
 * @param reason why it was not queued; empty when queued
 */
public record ScheduleResult(Status status, String reason) {

    /** The three ends of an attempt to queue a build. */
    public enum Status {
        /** The build is in the queue. */
        QUEUED,
        /** The job cannot take it, and would not on a retry: disabled, deleted, or its trigger removed. */
        SKIPPED,
        /** Something went wrong that a retry may not meet again. */
        FAILED
    }

    public ScheduleResult {
        Objects.requireNonNull(status, "status");
        reason = Objects.requireNonNullElse(reason, "");
    }

    public static ScheduleResult queued() {
        return new ScheduleResult(Status.QUEUED, "");
    }

    /** Queued, with what the page should add (which branch job, or that indexing runs first). */
    public static ScheduleResult queued(String detail) {
        return new ScheduleResult(Status.QUEUED, detail);
    }

    public static ScheduleResult skipped(String reason) {
        return new ScheduleResult(Status.SKIPPED, reason);
    }

    public static ScheduleResult failed(String reason) {
        return new ScheduleResult(Status.FAILED, reason);
    }

    /** How the deliveries page words it for a matched job. */
    String describe() {
        return switch (status) {
            case QUEUED -> reason.isEmpty() ? "queued" : "queued: " + reason;
            case SKIPPED -> "matched, but skipped: " + reason;
            case FAILED -> "matched, but not queued: " + reason;
        };
    }
}
