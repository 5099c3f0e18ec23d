package io.jenkins.plugins.platformsh.delivery.schedule;

import java.util.Objects;

/**
 * What queuing one build of an accepted delivery did, as the adapter reports it back. The difference between
 * skipped and failed decides the answer: a disabled job will not take a retry either, a queue that failed might.
 *
 * @param status what happened
 * @param reason why it was not queued; empty when queued
 * @param queueId the Jenkins queue item of the build, so the deliveries page can find the build; {@link #NO_QUEUE_ID}
 *     when not queued or not known
 */
public record ScheduleResult(Status status, String reason, long queueId) {

    /** Jenkins numbers queue items from 1. */
    public static final long NO_QUEUE_ID = -1;

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

    public ScheduleResult(Status status, String reason) {
        this(status, reason, NO_QUEUE_ID);
    }

    public static ScheduleResult queued() {
        return queued(NO_QUEUE_ID);
    }

    public static ScheduleResult queued(long queueId) {
        return new ScheduleResult(Status.QUEUED, "", queueId);
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

    /**
     * A declared parameter refused the delivery's value (a choice that does not list it): skipped, since a retry
     * would carry the same value, and never built with a value the parameter does not allow.
     *
     * @param detail what the parameter said, if anything; one line of at most 200 characters of it is kept
     */
    public static ScheduleResult parameterRefused(String parameter, String detail) {
        String why = "parameter " + parameter + " does not accept the delivery's value";
        if (detail != null && !detail.isBlank()) {
            why += " (" + CauseText.part(detail.strip()) + ")";
        }
        return skipped(why);
    }

    /** Whether the page can look the build up: queued, with the queue item known. */
    public boolean hasQueueId() {
        return status == Status.QUEUED && queueId != NO_QUEUE_ID;
    }

    /** Whether {@link #describe()} gave these words: all an entry restored after a restart still has. */
    public static boolean describesQueued(String words) {
        return words != null && (words.equals("queued") || words.startsWith("queued: "));
    }

    /** How the deliveries page words it for a matched job. */
    public String describe() {
        return switch (status) {
            case QUEUED -> reason.isEmpty() ? "queued" : "queued: " + reason;
            case SKIPPED -> "matched, but skipped: " + reason;
            case FAILED -> "matched, but not queued: " + reason;
        };
    }
}
