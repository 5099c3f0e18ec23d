package io.jenkins.plugins.platformsh.delivery.activity;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a delivery says, reduced to the fields people build with. An activity (push, merge, cron...) or a health
 * notification; fields absent from the payload are null (lists are empty).
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

    private Activity(Builder b) {
        kind = b.kind;
        id = b.id;
        type = b.type;
        project = b.project;
        environments = List.copyOf(b.environments);
        environment = b.environment;
        machineName = b.machineName;
        environmentType = b.environmentType;
        gitRef = b.gitRef;
        headCommit = b.headCommit;
        previousCommit = b.previousCommit;
        parentEnvironment = b.parentEnvironment;
        mergeFrom = b.mergeFrom;
        mergeInto = b.mergeInto;
        userName = b.userName;
        state = b.state;
        result = b.result;
        createdAt = b.createdAt;
        startedAt = b.startedAt;
        completedAt = b.completedAt;
        description = b.description;
        text = b.text;
        url = b.url;
        commits = List.copyOf(b.commits);
        commitsCount = b.commitsCount < 0 ? commits.size() : b.commitsCount;
        routes = orderedRoutes(b.routes);
        healthComponent = b.healthComponent;
        healthSubcomponent = b.healthSubcomponent;
        healthSeverity = b.healthSeverity;
        healthMessage = b.healthMessage;
        healthService = b.healthService;
        healthInstance = b.healthInstance;
        logBytes = b.logBytes;
    }

    private static List<Route> orderedRoutes(List<Route> routes) {
        List<Route> ordered = new ArrayList<>(routes.size());
        routes.stream().filter(Route::primary).forEach(ordered::add);
        routes.stream().filter(r -> !r.primary()).forEach(ordered::add);
        return List.copyOf(ordered);
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
