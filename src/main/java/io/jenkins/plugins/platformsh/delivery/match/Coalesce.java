package io.jenkins.plugins.platformsh.delivery.match;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** What happens when a delivery arrives while an earlier one for the same job still waits in the queue. */
public enum Coalesce {
    /** Every accepted delivery queues its own build: nothing is folded together. */
    EVERY_DELIVERY("Every delivery builds"),
    /** A newer delivery for the same project and environment replaces the one still queued; others build. */
    LATEST_PER_ENVIRONMENT("The latest queued delivery per environment wins");

    private final String displayName;

    Coalesce(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    /** The constant for a configured name; blank means the default, an unknown name is a clear error. */
    public static Coalesce of(String name) {
        if (name == null || name.isBlank()) {
            return EVERY_DELIVERY;
        }
        for (Coalesce c : values()) {
            if (c.name().equalsIgnoreCase(name.trim())) {
                return c;
            }
        }
        throw new FilterException("coalesce: '" + name + "' is not one of EVERY_DELIVERY, LATEST_PER_ENVIRONMENT");
    }

    /** What {@link #LATEST_PER_ENVIRONMENT} groups by: project and environment; null, never grouped, without either. */
    public static String key(Activity a) {
        if (a.project() == null
                || a.project().isEmpty()
                || a.environment() == null
                || a.environment().isEmpty()) {
            return null;
        }
        return a.project() + "/" + a.environment();
    }

    /**
     * Whether a build just queued for a delivery may cancel a queued build of the same job: only for the same
     * project and environment, and never when the new activity is older (by {@code created_at}) than the queued one,
     * as when deliveries arrive out of order. Equal times (one activity in a later state) may; where either time is
     * missing or unreadable, arrival order is all there is, and the newer arrival may.
     *
     * @param newKey the new build's {@code Schedule#coalesceKey()}; null never cancels
     * @param queuedKey the queued build's key, as stored with it; null is never cancelled
     */
    public static boolean mayCancel(String newKey, String newCreatedAt, String queuedKey, String queuedCreatedAt) {
        if (newKey == null || !newKey.equals(queuedKey)) {
            return false;
        }
        Instant newer = instant(newCreatedAt);
        Instant queued = instant(queuedCreatedAt);
        return newer == null || queued == null || !newer.isBefore(queued);
    }

    /** An ISO-8601 time with offset, as Platform.sh writes them ({@code 2022-12-14T15:41:05.821145+00:00}). */
    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
