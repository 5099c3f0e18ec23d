package io.jenkins.plugins.platformsh.delivery.activity;

import io.jenkins.plugins.platformsh.delivery.text.Clip;
import io.jenkins.plugins.platformsh.delivery.text.SecretsInText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a delivery says, reduced to the fields people build with. An activity (push, merge, cron...) or a health
 * notification; fields absent from the payload are null (lists are empty).
 *
 * <p>Every value is within its {@link FieldBounds bound}: the parser refuses or cuts what is over, and an activity
 * built otherwise (read back from a state file written before the bounds, say) has its values cut here, with the
 * marker, so that no path brings an unbounded value into the log, a reason or a build. No field holds a URL's
 * credentials, a secret query parameter or an {@code Authorization} value ({@link SecretsInText}): they are redacted
 * as the activity is made, before the cut, so that a cut never leaves part of a secret behind.
 */
public final class Activity {

    /** The two bodies Platform.sh sends to a webhook. */
    public enum Kind {
        /** A project activity: {@code environment.push}, {@code environment.merge}, ... */
        ACTIVITY,
        /** A {@code health.webhook} notification (disk, and inodes on Platform.sh). */
        HEALTH
    }

    /** One commit of a push. */
    public record Commit(String sha, String authorName, String authorEmail, String message) {}

    /** One upstream route of the deployment; {@code primary} marks the main URL. */
    public record Route(String url, boolean primary) {}

    private final Kind kind;
    private final String id;
    private final String type;
    private final String project;
    private final List<String> environments;
    private final String environment;
    private final String machineName;
    private final String environmentType;
    private final String gitRef;
    private final String headCommit;
    private final String previousCommit;
    private final String parentEnvironment;
    private final String mergeFrom;
    private final String mergeInto;
    private final String userName;
    private final String state;
    private final String result;
    private final String createdAt;
    private final String startedAt;
    private final String completedAt;
    private final String description;
    private final String text;
    private final String url;
    private final List<Commit> commits;
    private final int commitsCount;
    private final List<Route> routes;
    private final String healthComponent;
    private final String healthSubcomponent;
    private final String healthSeverity;
    private final String healthMessage;
    private final String healthService;
    private final String healthInstance;
    /** Bytes of the body's top-level {@code log} member (none in any stored copy); 0 without one. */
    private final long logBytes;
    /** {@link #identity()}, made when first asked for. */
    private Activity identity;

    private Activity(Builder b) {
        // Every string is cleaned here, once, so that nothing taken from it (variables, the cause, the build's
        // record, the deliveries page, a wait's explanation, the state files) can carry a URL's credentials or a
        // secret parameter: one rule at the one door, rather than one call at each way out.
        kind = b.kind;
        id = Clip.to(clean(b.id), FieldBounds.ID);
        type = Clip.to(clean(b.type), FieldBounds.TYPE);
        project = Clip.to(clean(b.project), FieldBounds.PROJECT);
        environments = cleanEnvironments(b.environments);
        environment = Clip.to(clean(b.environment), FieldBounds.ENVIRONMENT);
        machineName = Clip.to(clean(b.machineName), FieldBounds.ENVIRONMENT);
        environmentType = Clip.to(clean(b.environmentType), FieldBounds.ENVIRONMENT_TYPE);
        gitRef = Clip.to(clean(b.gitRef), FieldBounds.GIT_REF);
        headCommit = Clip.to(clean(b.headCommit), FieldBounds.COMMIT);
        previousCommit = Clip.to(clean(b.previousCommit), FieldBounds.COMMIT);
        parentEnvironment = Clip.to(clean(b.parentEnvironment), FieldBounds.ENVIRONMENT);
        mergeFrom = Clip.to(clean(b.mergeFrom), FieldBounds.ENVIRONMENT);
        mergeInto = Clip.to(clean(b.mergeInto), FieldBounds.ENVIRONMENT);
        userName = Clip.to(clean(b.userName), FieldBounds.USER_NAME);
        state = Clip.to(clean(b.state), FieldBounds.STATE);
        result = Clip.to(clean(b.result), FieldBounds.RESULT);
        createdAt = Clip.to(clean(b.createdAt), FieldBounds.TIME);
        startedAt = Clip.to(clean(b.startedAt), FieldBounds.TIME);
        completedAt = Clip.to(clean(b.completedAt), FieldBounds.TIME);
        description = Clip.to(clean(b.description), FieldBounds.DESCRIPTION);
        text = Clip.to(clean(b.text), FieldBounds.TEXT);
        url = Clip.to(clean(b.url), FieldBounds.URL);
        commits = cleanCommits(b.commits);
        commitsCount = b.commitsCount >= 0 ? b.commitsCount : Math.max(b.commitsListed, b.commits.size());
        routes = cleanRoutes(b.routes);
        healthComponent = Clip.to(clean(b.healthComponent), FieldBounds.HEALTH_FIELD);
        healthSubcomponent = Clip.to(clean(b.healthSubcomponent), FieldBounds.HEALTH_FIELD);
        healthSeverity = Clip.to(clean(b.healthSeverity), FieldBounds.HEALTH_FIELD);
        healthMessage = Clip.to(clean(b.healthMessage), FieldBounds.HEALTH_MESSAGE);
        healthService = Clip.to(clean(b.healthService), FieldBounds.HEALTH_FIELD);
        healthInstance = Clip.to(clean(b.healthInstance), FieldBounds.HEALTH_FIELD);
        logBytes = b.logBytes;
    }

    /**
     * The same activity with only what matching and the delivery log read: kind, id, type, project, environment,
     * machine name, state and result (about 1,100 characters at most). What the log keeps per delivery, so that its
     * memory does not hold commits, routes and texts for thousands of entries. Made once per activity (the match and
     * the log entry share it), from values this activity has already cleaned and cut: nothing is scanned again.
     */
    public Activity identity() {
        Activity i = identity;
        if (i == null) {
            i = new Activity(this);
            identity = i; // a race makes an equal copy twice, nothing worse: every field of it is final
        }
        return i;
    }

    /** The identity of {@code full}: its values are clean and within their bounds already, so they are copied. */
    private Activity(Activity full) {
        kind = full.kind;
        id = full.id;
        type = full.type;
        project = full.project;
        environments = List.of();
        environment = full.environment;
        machineName = full.machineName;
        environmentType = null;
        gitRef = null;
        headCommit = null;
        previousCommit = null;
        parentEnvironment = null;
        mergeFrom = null;
        mergeInto = null;
        userName = null;
        state = full.state;
        result = full.result;
        createdAt = null;
        startedAt = null;
        completedAt = null;
        description = null;
        text = null;
        url = null;
        commits = List.of();
        commitsCount = 0;
        routes = List.of();
        healthComponent = null;
        healthSubcomponent = null;
        healthSeverity = null;
        healthMessage = null;
        healthService = null;
        healthInstance = null;
        logBytes = 0;
        identity = this;
    }

    /** A payload's text without the secrets {@link SecretsInText} finds; the same instance (or null) otherwise. */
    private static String clean(String s) {
        return SecretsInText.redact(s);
    }

    private static List<String> cleanEnvironments(List<String> names) {
        int n = Math.min(names.size(), FieldBounds.ENVIRONMENTS);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = Clip.to(clean(names.get(i)), FieldBounds.ENVIRONMENT);
        }
        return Collections.unmodifiableList(Arrays.asList(out)); // as a stream's toList(): nulls allowed
    }

    private static List<Commit> cleanCommits(List<Commit> listed) {
        int n = Math.min(listed.size(), FieldBounds.COMMITS);
        Commit[] out = new Commit[n];
        for (int i = 0; i < n; i++) {
            Commit c = listed.get(i);
            out[i] = new Commit(clean(c.sha()), clean(c.authorName()), clean(c.authorEmail()), clean(c.message()));
        }
        return Collections.unmodifiableList(Arrays.asList(out)); // as a stream's toList(): nulls allowed
    }

    /** The first {@link FieldBounds#ROUTES} routes, cleaned, the primary ones first. */
    private static List<Route> cleanRoutes(List<Route> listed) {
        int n = Math.min(listed.size(), FieldBounds.ROUTES);
        Route[] out = new Route[n];
        int k = 0;
        for (int pass = 0; pass < 2; pass++) {
            boolean primary = pass == 0;
            for (int i = 0; i < n; i++) {
                Route r = listed.get(i);
                if (r.primary() == primary) {
                    out[k++] = new Route(clean(r.url()), r.primary());
                }
            }
        }
        return Collections.unmodifiableList(Arrays.asList(out)); // as a stream's toList(): nulls allowed
    }

    public Kind kind() {
        return kind;
    }

    /** The activity id; for a health notification, a stable digest of what identifies it. */
    public String id() {
        return id;
    }

    /** The event type, e.g. {@code environment.push}; {@code health.<component>} for health notifications. */
    public String type() {
        return type;
    }

    public String project() {
        return project;
    }

    public List<String> environments() {
        return environments;
    }

    /** The environment (branch) name the activity is about. */
    public String environment() {
        return environment;
    }

    public String machineName() {
        return machineName;
    }

    /** {@code production}, {@code staging} or {@code development}, where the payload says. */
    public String environmentType() {
        return environmentType;
    }

    /** The git reference of the deployment, e.g. {@code refs/heads/main}. */
    public String gitRef() {
        return gitRef;
    }

    /** The git branch: the reference without {@code refs/heads/}, else the environment name. */
    public String branch() {
        if (gitRef != null && gitRef.startsWith("refs/heads/") && gitRef.length() > 11) {
            return gitRef.substring(11);
        }
        return environment;
    }

    /** The commit the environment is at after the activity (the pushed one for a push). */
    public String headCommit() {
        return headCommit;
    }

    public String previousCommit() {
        return previousCommit;
    }

    public String parentEnvironment() {
        return parentEnvironment;
    }

    public String mergeFrom() {
        return mergeFrom;
    }

    public String mergeInto() {
        return mergeInto;
    }

    public String userName() {
        return userName;
    }

    public String state() {
        return state;
    }

    public String result() {
        return result;
    }

    public String createdAt() {
        return createdAt;
    }

    public String startedAt() {
        return startedAt;
    }

    public String completedAt() {
        return completedAt;
    }

    /** The HTML-ish description Platform.sh writes; never shown unescaped. */
    public String description() {
        return description;
    }

    /** The plain-text summary, e.g. "Jane Doe pushed to Main". */
    public String text() {
        return text;
    }

    /** The API URL of the activity ({@code _links.self.href}). */
    public String url() {
        return url;
    }

    public List<Commit> commits() {
        return commits;
    }

    public int commitsCount() {
        return commitsCount;
    }

    /** Upstream routes, the primary one first. */
    public List<Route> routes() {
        return routes;
    }

    /** The primary upstream route, else the first https one, else the first one; null without routes. */
    public String primaryUrl() {
        for (Route r : routes) {
            if (r.primary()) {
                return r.url();
            }
        }
        for (Route r : routes) {
            if (r.url().startsWith("https://")) {
                return r.url();
            }
        }
        return routes.isEmpty() ? null : routes.get(0).url();
    }

    public String healthComponent() {
        return healthComponent;
    }

    public String healthSubcomponent() {
        return healthSubcomponent;
    }

    public String healthSeverity() {
        return healthSeverity;
    }

    public String healthMessage() {
        return healthMessage;
    }

    public String healthService() {
        return healthService;
    }

    public String healthInstance() {
        return healthInstance;
    }

    /** The key under which repeated deliveries of the same thing are recognised. */
    public String dedupeKey() {
        return kind == Kind.HEALTH ? "health|" + id : id + "|" + Objects.requireNonNullElse(state, "");
    }

    @Override
    public String toString() {
        return type + " " + id + " (" + project + "/" + environment + ", " + state + ")";
    }

    /** How many bytes of the body its top-level {@code log} took: what a redacted copy leaves out. */
    public long logBytes() {
        return logBytes;
    }

    /** Filled by the parser, frozen by {@link #build()}. */
    public static final class Builder {
        Kind kind = Kind.ACTIVITY;
        public String id;
        public String type;
        public String project;
        final List<String> environments = new ArrayList<>();
        public String environment;
        String machineName;
        String environmentType;
        String gitRef;
        String headCommit;
        String previousCommit;
        String parentEnvironment;
        String mergeFrom;
        String mergeInto;
        String userName;
        public String state;
        String result;
        String createdAt;
        String startedAt;
        String completedAt;
        String description;
        String text;
        String url;
        final List<Commit> commits = new ArrayList<>();
        int commitsCount = -1;
        /** Commits listed in the payload, kept or not. */
        int commitsListed;

        final List<Route> routes = new ArrayList<>();
        String healthComponent;
        String healthSubcomponent;
        String healthSeverity;
        String healthMessage;
        String healthService;
        String healthInstance;
        long logBytes;

        public Activity build() {
            return new Activity(this);
        }
    }
}
