package io.jenkins.plugins.platformsh.delivery.wait;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The activity's own times against the build's start. The de-duplication memory is bounded, so a copy of an old
 * delivery it has forgotten looks new; its activity's times still say it is old. Only the latest of
 * {@code completed_at}, {@code started_at} and {@code created_at} is compared, with a tolerance for the clocks of
 * Platform.sh and Jenkins disagreeing and for a delivery sent a while after its activity ended. An activity carrying
 * none of those times (none is documented as always present) is not judged by this rule.
 */
final class Freshness {

    /** How long before the build's start the activity may have ended and still count. */
    static final Duration TOLERANCE = Duration.ofMinutes(10);

    /** Longer than any ISO-8601 time with nanoseconds and an offset: anything longer is not a time. */
    private static final int MAX_TIME_LENGTH = 40;

    private Freshness() {}

    /** Null when the activity is recent enough for a wait counting from {@code since}, else why not. */
    static String stale(Activity a, Instant since) {
        Instant latest = latest(a);
        if (latest == null || !latest.isBefore(since.minus(TOLERANCE))) {
            return null;
        }
        return "the activity's latest time, " + latest + ", is more than " + TOLERANCE.toMinutes()
                + " minutes before the build started (" + since + "): an old activity sent again does not count";
    }

    /** The latest of the activity's times that parse, or null. */
    static Instant latest(Activity a) {
        Instant latest = null;
        for (String text : new String[] {a.completedAt(), a.startedAt(), a.createdAt()}) {
            Instant t = parse(text);
            if (t != null && (latest == null || t.isAfter(latest))) {
                latest = t;
            }
        }
        return latest;
    }

    /** ISO-8601 with an offset (as Platform.sh's samples show), or without one read as UTC; else null. */
    static Instant parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_TIME_LENGTH) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // not with an offset: try without one
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
