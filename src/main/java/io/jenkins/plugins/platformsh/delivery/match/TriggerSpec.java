package io.jenkins.plugins.platformsh.delivery.match;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.text.Clip;
import io.jenkins.plugins.platformsh.delivery.text.Patterns;
import io.jenkins.plugins.platformsh.delivery.verify.NamedKey;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One job's trigger configuration, validated and compiled for matching. Empty projects, environments and results
 * mean "any"; empty excluded environments mean "none". Health notifications have no state or result, so those two
 * filters do not apply to them.
 */
public final class TriggerSpec {

    public static final String DEFAULT_EVENTS = "environment.push, environment.merge";
    public static final String DEFAULT_STATES = "complete";

    private final String eventsText;
    private final String statesText;
    private final String resultsText;
    private final String projectsText;
    private final String environmentsText;
    private final String excludedText;
    private final String credentialsId;
    private final String tokenCredentialsId;
    private final Coalesce coalesce;
    private final List<String> branchEnvironments;

    final Patterns events;
    final Patterns states;
    final Patterns results;
    final Patterns projects;
    final Patterns environments;
    final Patterns excluded;

    private TriggerSpec(Builder b) {
        eventsText = normalise(b.events);
        statesText = normalise(b.states);
        resultsText = normalise(b.results);
        projectsText = normalise(b.projects);
        environmentsText = normalise(b.environments);
        excludedText = normalise(b.excluded);
        credentialsId = idOrNull(b.credentialsId);
        tokenCredentialsId = idOrNull(b.tokenCredentialsId);
        // One secret, one role: a signing key accepted as a token could be guessed by anyone with ?token=.
        FilterValidation.require("tokenCredentialsId", NamedKey.checkRoles(credentialsId, tokenCredentialsId));
        coalesce = b.coalesce;
        boolean capped = b.capped;
        FilterValidation.require("events", FilterValidation.events(eventsText, capped));
        FilterValidation.require("states", FilterValidation.states(statesText, capped));
        FilterValidation.require("results", FilterValidation.results(resultsText, capped));
        FilterValidation.require("projects", FilterValidation.projects(projectsText, capped));
        FilterValidation.require("environments", FilterValidation.environments(environmentsText, capped));
        FilterValidation.require("excludedEnvironments", FilterValidation.environments(excludedText, capped));
        events = Patterns.parse(eventsText);
        states = Patterns.parse(statesText);
        results = Patterns.parse(resultsText);
        projects = Patterns.parse(projectsText);
        branchEnvironments = List.copyOf(Patterns.literal(b.branchEnvironments).items());
        // An explicit list wins; without one, a branch job of a multibranch project listens to its own environment.
        environments =
                environmentsText.isEmpty() ? Patterns.literal(branchEnvironments) : Patterns.parse(environmentsText);
        excluded = Patterns.parse(excludedText);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: push and merge, complete, any result, project and environment, the global key. */
    public static TriggerSpec defaults() {
        return builder().build();
    }

    private static String idOrNull(String id) {
        return id == null || id.isBlank() ? null : id.trim();
    }

    private static String normalise(String text) {
        return String.join(", ", Patterns.split(text));
    }

    public String events() {
        return eventsText;
    }

    public String states() {
        return statesText;
    }

    public String results() {
        return resultsText;
    }

    public String projects() {
        return projectsText;
    }

    public String environments() {
        return environmentsText;
    }

    public String excludedEnvironments() {
        return excludedText;
    }

    /** The shared key this job accepts deliveries signed with; null when it names none. */
    public String credentialsId() {
        return credentialsId;
    }

    /** The token this job accepts deliveries carrying; null when it names none. */
    public String tokenCredentialsId() {
        return tokenCredentialsId;
    }

    /**
     * The job's own keys, each in its one role. When there are any, only a delivery verified with one of them (for
     * this job) reaches it; when there are none, the keys of the global configuration apply.
     */
    public List<NamedKey> ownKeys() {
        List<NamedKey> keys = new ArrayList<>(2);
        if (credentialsId != null) {
            keys.add(NamedKey.sharedKey(credentialsId));
        }
        if (tokenCredentialsId != null) {
            keys.add(NamedKey.token(tokenCredentialsId));
        }
        return keys;
    }

    public Coalesce coalesce() {
        return coalesce;
    }

    /** The exact project ids, or null when the filter is empty (any) or has a glob: what an index can bucket by. */
    public java.util.Set<String> indexableProjects() {
        return projects.isEmpty() ? null : projects.exactOnly();
    }

    /** Whether the project filter lets this project through (an empty filter: any project). */
    public boolean acceptsProject(String project) {
        return projects.isEmpty() || projects.matches(project);
    }

    /** The exact environment names, or null when the filter is empty (any) or has a glob. */
    public java.util.Set<String> indexableEnvironments() {
        return environments.isEmpty() ? null : environments.exactOnly();
    }

    /**
     * The environments a branch job listens to when its trigger names none (see
     * {@code delivery.route.BranchEnvironments}); empty for any other job, which then listens to every environment.
     */
    public List<String> branchEnvironments() {
        return branchEnvironments;
    }

    /** Null when the delivery is for this job, else the first reason it is not, in words a person understands. */
    public String mismatch(Activity activity, Verification verification) {
        return mismatch(activity, verification, null);
    }

    /**
     * The same, for the job {@code targetId}: keys resolved for another job never satisfy this one. A reason quotes at
     * most {@value Clip#QUOTE} characters of a payload value: it is kept once per job and delivery in the log.
     */
    public String mismatch(Activity activity, Verification verification, String targetId) {
        Mismatch kind = mismatchKind(activity, verification, targetId);
        return kind == null ? null : reason(kind, activity, verification, targetId);
    }

    /**
     * Which check the delivery fails for this job, or null when it is for this job: the same checks in the same order
     * as {@link #mismatch(Activity, Verification, String)}, without building the sentence, so that a summary over
     * thousands of jobs costs no text per job.
     */
    public Mismatch mismatchKind(Activity activity, Verification verification, String targetId) {
        if (!events.matches(activity.type())) {
            return Mismatch.EVENT;
        }
        if (!projects.isEmpty() && !projects.matches(activity.project())) {
            return Mismatch.PROJECT;
        }
        if (!environments.isEmpty()
                && !environments.matches(activity.environment())
                && !environments.matches(activity.machineName())) {
            return Mismatch.ENVIRONMENT;
        }
        if (!excluded.isEmpty()
                && (excluded.matches(activity.environment()) || excluded.matches(activity.machineName()))) {
            return Mismatch.EXCLUDED;
        }
        if (activity.kind() == Activity.Kind.ACTIVITY) {
            if (!states.matches(activity.state())) {
                return Mismatch.STATE;
            }
            String result = activity.result() == null ? "none" : activity.result();
            if (!results.isEmpty() && !results.matches(result)) {
                return Mismatch.RESULT;
            }
        }
        return keyMismatch(verification, targetId) == null ? null : Mismatch.KEY;
    }

    /**
     * Whether this job and {@code other} give the same sentence for a failed check {@code kind} (on the same delivery):
     * they have the same text for that filter. Compares strings they already hold: nothing is built.
     */
    public boolean sameReason(Mismatch kind, TriggerSpec other) {
        return switch (kind) {
            case EVENT -> eventsText.equals(other.eventsText);
            case PROJECT -> projectsText.equals(other.projectsText);
            case ENVIRONMENT ->
                environmentsText.equals(other.environmentsText)
                        && (!environmentsText.isEmpty() || branchEnvironments.equals(other.branchEnvironments));
            case EXCLUDED -> excludedText.equals(other.excludedText);
            case STATE -> statesText.equals(other.statesText);
            case RESULT -> resultsText.equals(other.resultsText);
            case KEY ->
                Objects.equals(credentialsId, other.credentialsId)
                        && Objects.equals(tokenCredentialsId, other.tokenCredentialsId);
        };
    }

    /** The sentence for a check this job fails (see {@link #mismatchKind}). */
    String reason(Mismatch kind, Activity activity, Verification verification, String targetId) {
        return switch (kind) {
            case EVENT -> "event " + Clip.quote(activity.type()) + " is not one of " + events;
            case PROJECT -> "project " + Clip.quote(activity.project()) + " is not one of " + projects;
            case ENVIRONMENT ->
                "environment " + Clip.quote(activity.environment()) + " is not one of " + environments
                        + (environmentsText.isEmpty() ? " (this branch job's own environment)" : "");
            case EXCLUDED -> "environment " + Clip.quote(activity.environment()) + " is excluded by " + excluded;
            case STATE -> "state " + Clip.quote(activity.state()) + " is not one of " + states;
            case RESULT ->
                "result " + Clip.quote(activity.result() == null ? "none" : activity.result()) + " is not one of "
                        + results;
            case KEY -> Objects.requireNonNullElse(keyMismatch(verification, targetId), "");
        };
    }

    private String keyMismatch(Verification v, String targetId) {
        List<NamedKey> own = ownKeys();
        if (v.status() == Verification.Status.UNSIGNED) {
            return own.isEmpty()
                    ? null
                    : "the delivery is unsigned, and this job requires one verified with its " + describe(own);
        }
        if (!own.isEmpty()) {
            for (NamedKey k : own) {
                if (v.verifiedWith(k, targetId)) {
                    return null;
                }
            }
            return "the delivery was not verified with the " + describe(own) + ", which this job requires";
        }
        return v.global()
                ? null
                : "the delivery was verified only with another job's key, not with the global shared key or token";
    }

    private static String describe(List<NamedKey> keys) {
        List<String> words = new ArrayList<>();
        keys.forEach(k -> words.add(k.describe()));
        return String.join(" or ", words);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TriggerSpec s
                && eventsText.equals(s.eventsText)
                && statesText.equals(s.statesText)
                && resultsText.equals(s.resultsText)
                && projectsText.equals(s.projectsText)
                && environmentsText.equals(s.environmentsText)
                && excludedText.equals(s.excludedText)
                && Objects.equals(credentialsId, s.credentialsId)
                && Objects.equals(tokenCredentialsId, s.tokenCredentialsId)
                && coalesce == s.coalesce
                && branchEnvironments.equals(s.branchEnvironments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                eventsText,
                statesText,
                resultsText,
                projectsText,
                environmentsText,
                excludedText,
                credentialsId,
                tokenCredentialsId,
                coalesce,
                branchEnvironments);
    }

    @Override
    public String toString() {
        return "events [" + eventsText + "], states [" + statesText + "], results [" + resultsText + "], projects ["
                + projectsText + "], environments [" + environmentsText + "], excluded [" + excludedText + "]"
                + (branchEnvironments.isEmpty() ? "" : ", branch environments " + branchEnvironments);
    }

    /** Null arguments keep the defaults, so adapters can pass their fields straight through. */
    public static final class Builder {
        private String events = DEFAULT_EVENTS;
        private String states = DEFAULT_STATES;
        private String results = "";
        private String projects = "";
        private String environments = "";
        private String excluded = "";
        private String credentialsId;
        private String tokenCredentialsId;
        private Coalesce coalesce = Coalesce.EVERY_DELIVERY;
        private List<String> branchEnvironments = List.of();
        private boolean capped = true;

        private Builder() {}

        /**
         * Lists longer than {@link FilterValidation}'s caps are accepted: for text that was valid when it was saved
         * (a trigger in a job's config.xml, a wait resumed after a restart), which must keep working rather than fail
         * as Jenkins starts. Configuration checks the caps before it saves; the indexes stay small whatever the length.
         */
        public Builder uncapped() {
            capped = false;
            return this;
        }

        /** The branch job's own environments, used only when {@link #environments} is empty. Null: none. */
        public Builder branchEnvironments(Collection<String> names) {
            branchEnvironments = names == null ? List.of() : new ArrayList<>(names);
            return this;
        }

        public Builder events(String text) {
            if (text != null) {
                events = text;
            }
            return this;
        }

        public Builder states(String text) {
            if (text != null) {
                states = text;
            }
            return this;
        }

        public Builder results(String text) {
            if (text != null) {
                results = text;
            }
            return this;
        }

        public Builder projects(String text) {
            if (text != null) {
                projects = text;
            }
            return this;
        }

        public Builder environments(String text) {
            if (text != null) {
                environments = text;
            }
            return this;
        }

        public Builder excludedEnvironments(String text) {
            if (text != null) {
                excluded = text;
            }
            return this;
        }

        /** The job's own shared key (checked against the signature only); null or blank for none. */
        public Builder credentialsId(String id) {
            credentialsId = id;
            return this;
        }

        /** The job's own token (compared with {@code ?token=} only); null or blank for none. */
        public Builder tokenCredentialsId(String id) {
            tokenCredentialsId = id;
            return this;
        }

        public Builder coalesce(Coalesce c) {
            if (c != null) {
                coalesce = c;
            }
            return this;
        }

        /** @throws FilterException naming the field and the problem */
        public TriggerSpec build() {
            return new TriggerSpec(this);
        }
    }
}
