package io.jenkins.plugins.platformsh.delivery.verify;

import java.util.Set;

/**
 * Who may see a delivery, as {@link Verification#maySee} decides it: whether a key verified it, whether one of them
 * was a key of the global configuration, and the jobs whose own keys verified it. Kept instead of the verification
 * where only this is needed (the delivery log and its file).
 */
public record Audience(boolean verified, boolean global, Set<String> targets) {

    /** Nobody: an unsigned or refused delivery, or one stored before this was kept. */
    public static final Audience NONE = new Audience(false, false, Set.of());

    /**
     * The most jobs named, per delivery, as seeing it through their own keys: the log holds one audience per entry, in
     * memory and in its file.
     */
    public static final int MAX_TARGETS = 100;

    public Audience {
        // More names than the bound (read from an edited file) make it visible to no job by its own key, as when made.
        targets = targets.size() > MAX_TARGETS ? Set.of() : Set.copyOf(targets);
    }

    /** The same rule as {@link Verification#maySee}. */
    public boolean maySee(String targetId) {
        return verified && (global || targets.contains(targetId));
    }
}
