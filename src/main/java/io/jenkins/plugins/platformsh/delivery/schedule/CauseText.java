package io.jenkins.plugins.platformsh.delivery.schedule;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.text.Html;

/**
 * The one line a build shows for why it started: "Platform.sh environment.push on main by Jane Doe". Payload text is
 * untrusted, so the plain form is flattened to one line and bounded, and the HTML form is escaped.
 */
public final class CauseText {

    private static final int MAX_PART = 200;

    private CauseText() {}

    public static String plain(Activity a) {
        StringBuilder sb = new StringBuilder("Platform.sh ").append(part(a.type()));
        if (a.environment() != null) {
            sb.append(" on ").append(part(a.environment()));
        }
        if (a.kind() == Activity.Kind.HEALTH) {
            if (a.healthSeverity() != null) {
                sb.append(" (").append(part(a.healthSeverity())).append(')');
            }
            if (a.healthMessage() != null) {
                sb.append(": ").append(part(a.healthMessage()));
            }
        } else if (a.userName() != null) {
            sb.append(" by ").append(part(a.userName()));
        }
        return sb.toString();
    }

    public static String html(Activity a) {
        return Html.escape(plain(a));
    }

    /** One line, no control characters, at most {@value #MAX_PART} characters (never a split surrogate pair). */
    public static String part(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_PART + 1));
        for (int i = 0; i < s.length() && sb.length() < MAX_PART; i++) {
            char c = s.charAt(i);
            // Line and paragraph separators break a line as surely as a newline does.
            sb.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        if (s.length() > MAX_PART) {
            if (Character.isHighSurrogate(sb.charAt(sb.length() - 1))) {
                sb.setLength(sb.length() - 1); // never half an emoji before the ellipsis
            }
            sb.append('\u2026');
        }
        return sb.toString();
    }
}
