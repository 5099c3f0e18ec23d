package io.jenkins.plugins.platformsh.delivery.log;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the deliveries page says when something happened: "3 min ago", with the exact time to show on hover. */
public final class TimeText {

    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private TimeText() {}

    /** "just now", "42 s ago", "3 min ago", "5 h ago", "1 day ago", "12 days ago"; whole units, rounded down. */
    public static String ago(Instant then, Instant now) {
        long s = Duration.between(then, now).getSeconds();
        if (s < 5) {
            return "just now"; // also a clock that stepped back: never "-3 s ago"
        }
        if (s < 60) {
            return s + " s ago";
        }
        if (s < 3600) {
            return s / 60 + " min ago";
        }
        if (s < 86_400) {
            return s / 3600 + " h ago";
        }
        long days = s / 86_400;
        return days + (days == 1 ? " day ago" : " days ago");
    }

    /** To the second, in UTC: "2026-12-01 06:47:45 UTC". */
    public static String exact(Instant t) {
        return EXACT.format(t);
    }
}
