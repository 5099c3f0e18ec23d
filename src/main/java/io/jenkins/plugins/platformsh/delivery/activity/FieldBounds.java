package io.jenkins.plugins.platformsh.delivery.activity;

import io.jenkins.plugins.platformsh.delivery.text.Clip;

/**
 * The most the plugin keeps of each value a payload carries, applied where the body is parsed. A signature proves who
 * sent a delivery, not that it is small: without these, a key holder's few kilobytes were quoted once per job in the
 * delivery log and grew its file by megabytes.
 *
 * <p>Lengths are in characters ({@link String#length}, UTF-16 units). Platform.sh documents no maximum length for any
 * of these values that we could find, so every bound is our choice, generous next to the values seen in public samples
 * (13-15 character project and activity ids, 40 hex digit commits). docs/security.md lists them all.
 *
 * <ul>
 *   <li>An identifying value over its bound (what the plugin matches, de-duplicates or names a build by) refuses the
 *       delivery with 400 and a reason that names the field and the bound: cutting it would make it another value.
 *   <li>Display text over its bound (names, messages, descriptions, URLs) is cut, with {@link Clip#MARKER} after it.
 *   <li>Lists: past {@link #ENVIRONMENTS} environment names the delivery is refused with 400; past {@link #COMMITS}
 *       commits and {@link #ROUTES} routes the rest are left out ({@code commitsCount} still counts them).
 * </ul>
 */
public final class FieldBounds {

    // Identifying: over the bound, 400.
    public static final int ID = 128;
    public static final int TYPE = 128;
    public static final int PROJECT = 128;
    /** Environment names and machine names; also the bound the trigger's form puts on a typed name. */
    public static final int ENVIRONMENT = 255;

    public static final int ENVIRONMENT_TYPE = 64;
    public static final int STATE = 64;
    public static final int RESULT = 64;
    /** A SHA-1 commit is 40 hex digits, a SHA-256 one 64. */
    public static final int COMMIT = 128;
    /** {@code refs/heads/} and an environment name, with room to spare. */
    public static final int GIT_REF = 300;

    public static final int TIME = 64;
    /** A health notification's component, subcomponent, severity, service and instance. */
    public static final int HEALTH_FIELD = 128;

    // Display text: cut, with the marker.
    public static final int USER_NAME = 256;
    public static final int EMAIL = 320;
    public static final int COMMIT_MESSAGE = 4096;
    public static final int TEXT = 4096;
    public static final int DESCRIPTION = 4096;
    public static final int URL = 2048;
    public static final int HEALTH_MESSAGE = 4096;

    // Lists.
    /** Names in {@code environments}; more refuses the delivery (400). */
    public static final int ENVIRONMENTS = 100;
    /** Commits kept of {@code payload.commits}; the rest are counted, not kept. */
    public static final int COMMITS = 100;
    /**
     * Upstream routes kept of the deployment's routes (a primary one always among them); the rest are left out. 50
     * URLs of at most {@link #URL} characters keep {@code PLATFORMSH_ROUTES} under Linux's 128 KiB limit on one
     * environment variable, past which a build's shell steps would fail to start.
     */
    public static final int ROUTES = 50;

    private FieldBounds() {}

    /** The value, or 400 naming {@code field} and the bound. */
    static String identifying(String field, String value, int max) throws MalformedDeliveryException {
        if (value != null && value.length() > max) {
            throw tooLong(field, max);
        }
        return value;
    }

    static MalformedDeliveryException tooLong(String field, int max) {
        return new MalformedDeliveryException("the field '" + field + "' is longer than " + max + " characters");
    }

    static MalformedDeliveryException tooMany(String field, int max) {
        return new MalformedDeliveryException("the field '" + field + "' has more than " + max + " entries");
    }
}
