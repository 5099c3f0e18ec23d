package io.jenkins.plugins.platformsh.delivery.log;

import io.jenkins.plugins.platformsh.delivery.schedule.Variables;
import io.jenkins.plugins.platformsh.delivery.text.SecretsInText;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a build's page says about the delivery that started it, beside the cause (which already names the event, the
 * environment and the user): the project and activity, the commit, the environment's URL and the delivery. Values
 * come from the payload: the page escapes them, and only an http or https URL becomes a link.
 */
public final class BuildSummary {

    /** As many hex digits as git shows by default. */
    static final int SHORT_COMMIT = 7;

    private final Map<String, String> variables;

    private BuildSummary(Map<String, String> variables) {
        this.variables = variables;
    }

    /**
     * From the PLATFORMSH_* variables the build carries. They come from a redacted activity; a build recorded by an
     * earlier version may still hold a URL's credentials, so the page redacts again what it shows.
     */
    public static BuildSummary of(Map<String, String> variables) {
        Map<String, String> shown = new java.util.HashMap<>();
        variables.forEach((k, v) -> {
            if (k != null && v != null) {
                shown.put(k, SecretsInText.redact(v));
            }
        });
        return new BuildSummary(Map.copyOf(shown));
    }

    public String project() {
        return variables.get(Variables.PROJECT);
    }

    public String activityId() {
        return variables.get(Variables.ACTIVITY_ID);
    }

    /** The full commit id, for the tooltip; null when the activity names none. */
    public String commit() {
        return variables.get(Variables.COMMIT);
    }

    /** The commit as git abbreviates it. */
    public String shortCommit() {
        String c = commit();
        return c == null || c.length() <= SHORT_COMMIT ? c : c.substring(0, SHORT_COMMIT);
    }

    /** The environment's primary URL, as text; null when there is none. */
    public String url() {
        return variables.get(Variables.URL);
    }

    /** Whether {@link #url()} may be a link: an absolute http or https URL with a host, nothing else. */
    public boolean urlIsLink() {
        return link() != null;
    }

    /**
     * Where the link to {@link #url()} points: the URL itself, or, when its credentials were redacted
     * ({@code https://<redacted>@host/}), the URL without them, which a browser can follow (and then asks for them);
     * null when it is no web link.
     */
    public String link() {
        String u = url();
        if (u == null) {
            return null;
        }
        String marker = SecretsInText.REDACTED + "@";
        int scheme = u.indexOf("://");
        String target = scheme > 0 && u.startsWith(marker, scheme + 3)
                ? u.substring(0, scheme + 3) + u.substring(scheme + 3 + marker.length())
                : u;
        return isWebLink(target) ? target : null;
    }

    public static boolean isWebLink(String url) {
        if (url == null || url.isBlank()) {
            return false;
        }
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * Whether the deliveries page still shows the delivery of this build: the log is bounded and lives in memory,
     * and after a restart the same delivery id names another delivery, so the activity must match too.
     */
    public boolean isShownBy(DeliveryLog.Entry entry) {
        return entry != null && activityId() != null && Objects.equals(entry.activityId(), activityId());
    }
}
