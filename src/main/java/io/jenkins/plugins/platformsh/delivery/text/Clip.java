package io.jenkins.plugins.platformsh.delivery.text;

/**
 * Cuts text taken from a payload to a bound, with a visible marker, so that a reader sees it was cut. Never splits a
 * surrogate pair: half an emoji is not text, and XML and UTF-8 writers refuse or mangle it.
 */
public final class Clip {

    /** Appended to what was cut; its own length is not counted in the bound. */
    public static final String MARKER = "\u2026[truncated]";

    /** At most this many characters of a payload value are quoted in a reason or label of the delivery log. */
    public static final int QUOTE = 100;

    private Clip() {}

    /**
     * {@code s} unchanged when it has at most {@code max} characters (UTF-16 units, as {@link String#length}), else
     * its first {@code max} (one fewer where that would split a pair) followed by {@link #MARKER}. Null stays null.
     * Cutting what was already cut to the same bound changes nothing: the result is always at most {@code max} plus
     * the marker's length.
     */
    public static String to(String s, int max) {
        if (s == null || s.length() <= max || (s.length() <= max + MARKER.length() && s.endsWith(MARKER))) {
            return s;
        }
        int end = Math.max(0, max);
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1)) && Character.isLowSurrogate(s.charAt(end))) {
            end--;
        }
        return s.substring(0, end) + MARKER;
    }

    /** A payload value as quoted in a reason or label: at most {@value #QUOTE} characters, then the marker. */
    public static String quote(String s) {
        return to(s, QUOTE);
    }
}
