package io.jenkins.plugins.platformsh.delivery;

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
    static String key(Activity a) {
        if (a.project() == null || a.project().isEmpty() || a.environment() == null || a.environment().isEmpty()) {
            return null;
        }
        return a.project() + "/" + a.environment();
    }
}
