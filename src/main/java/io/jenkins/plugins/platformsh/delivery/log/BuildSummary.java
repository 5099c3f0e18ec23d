package io.jenkins.plugins.platformsh.delivery.log;

import io.jenkins.plugins.platformsh.delivery.schedule.Variables;
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

    /** From the PLATFORMSH_* variables the build carries. */
    public static BuildSummary of(Map<String, String> variables) {
        return new BuildSummary(Map.copyOf(variables));
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
        return isWebLink(url());
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
