package io.jenkins.plugins.platformsh.delivery.wait;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.match.FilterValidation;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.verify.NamedKey;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one waiting step waits for: the trigger's filter language (events, states, projects, environments), a commit,
 * and the rule for keys that triggers follow (the global key, or the job's own key resolved for that job only).
 */
public final class WaitSpec {

    /** A deployment happens on push and merge, and again on a redeploy. */
    public static final String DEFAULT_EVENTS = "environment.push, environment.merge, environment.redeploy";

    private final TriggerSpec filter;
    private final String commit;
    private final String job;

    private WaitSpec(TriggerSpec filter, String commit, String job) {
        this.filter = filter;
        this.commit = commit;
        this.job = job;
    }

    public static Builder builder(String job) {
        return new Builder(job);
    }

    /** The job (full name) whose build waits: a key the step names counts only as resolved for it. */
    public String job() {
        return job;
    }

    /** The lower-case SHA or abbreviation waited for, or null for any commit. */
    public String commit() {
        return commit;
    }

    public String credentialsId() {
        return filter.credentialsId();
    }

    /** The step's own keys, each in its one role (shared key or token); empty for the global keys. */
    public List<NamedKey> ownKeys() {
        return filter.ownKeys();
    }

    TriggerSpec filter() {
        return filter;
    }

    /** Null when the verified delivery releases this wait, else the first reason it does not. */
    public String mismatch(Activity activity, Verification verification) {
        // Stricter than a trigger: accepting unsigned deliveries must not let anyone end (or fail) a waiting build.
        if (verification.status() != Verification.Status.VERIFIED) {
            return "the delivery was not verified by a key: only verified deliveries release a wait, whatever the "
                    + "setting for unsigned deliveries";
        }
        if (!maySee(verification)) {
            // Before any filter: nothing about a delivery this job may not see decides or explains its wait.
            return "the delivery was verified only with another job's key, not with the global shared key or token "
                    + "nor with this job's own key";
        }
        String why = filter.mismatch(activity, verification, job);
        if (why != null) {
            return why;
        }
        if (commit != null && !carriesCommit(activity)) {
            String head = activity.headCommit();
            return "commit " + (head == null ? "(none)" : head) + " is not " + commit
                    + (activity.commits().isEmpty()
                            ? ""
                            : ", nor among the activity's " + activity.commits().size() + " commits");
        }
        return null;
    }

    /**
     * Whether the delivery was verified by a key valid for this wait's job: a key of the global configuration (an
     * additional key only reaches this far when it is valid for the delivery's project), or a key resolved for this
     * job (its {@code credentialsId}, or the one its trigger names). Unsigned deliveries never are.
     */
    public boolean maySee(Verification verification) {
        return verification.maySee(job);
    }

    /** Whether the wait's project filter lets the project through (no filter: any project). */
    boolean acceptsProject(String project) {
        return filter.acceptsProject(project);
    }

    private boolean carriesCommit(Activity a) {
        if (sameCommit(a.headCommit())) {
            return true;
        }
        for (Activity.Commit c : a.commits()) {
            if (sameCommit(c.sha())) {
                return true;
            }
        }
        return false;
    }

    private boolean sameCommit(String sha) {
        // An abbreviation (7 or more digits, as git shows them) matches the commit it starts.
        return sha != null && sha.toLowerCase(Locale.ROOT).startsWith(commit);
    }

    /** In words, for the build log, the deliveries page and the timeout message. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(filter.events()).append(" in state ").append(filter.states());
        b.append(filter.environments().isEmpty() ? ", any environment" : ", environment " + filter.environments());
        b.append(filter.projects().isEmpty() ? ", any project" : ", project " + filter.projects());
        if (commit != null) {
            b.append(", commit ").append(commit);
        }
        List<NamedKey> own = filter.ownKeys();
        if (own.isEmpty()) {
            b.append(", verified with the global key");
        } else {
            b.append(", verified with the ").append(own.get(0).describe());
            if (own.size() > 1) {
                b.append(" or the ").append(own.get(1).describe());
            }
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WaitSpec w
                && filter.equals(w.filter)
                && Objects.equals(commit, w.commit)
                && job.equals(w.job);
    }

    @Override
    public int hashCode() {
        return Objects.hash(filter, commit, job);
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Null arguments keep the defaults, so adapters can pass their fields straight through. */
    public static final class Builder {
        private final String job;
        private final TriggerSpec.Builder filter = TriggerSpec.builder().events(DEFAULT_EVENTS);
        private String commit;

        private Builder(String job) {
            this.job = Objects.requireNonNull(job, "job");
        }

        public Builder events(String text) {
            filter.events(text);
            return this;
        }

        public Builder states(String text) {
            filter.states(text);
            return this;
        }

        public Builder environments(String text) {
            filter.environments(text);
            return this;
        }

        public Builder projects(String text) {
            filter.projects(text);
            return this;
        }

        /** The step's own shared key; null for none. */
        public Builder credentialsId(String id) {
            filter.credentialsId(id);
            return this;
        }

        /** The step's own token; null for none. */
        public Builder tokenCredentialsId(String id) {
            filter.tokenCredentialsId(id);
            return this;
        }

        /** See {@link TriggerSpec.Builder#uncapped()}: for a wait rebuilt from what was checked when it started. */
        public Builder uncapped() {
            filter.uncapped();
            return this;
        }

        /** A SHA to wait for; null for any commit. An empty text is an error (an unset variable, most likely). */
        public Builder commit(String sha) {
            commit = sha;
            return this;
        }

        /** @throws io.jenkins.plugins.platformsh.delivery.match.FilterException naming the field and the problem */
        public WaitSpec build() {
            TriggerSpec f = filter.build();
            if (commit != null) {
                FilterValidation.require("commit", FilterValidation.commit(commit));
            }
            return new WaitSpec(f, commit == null ? null : commit.trim().toLowerCase(Locale.ROOT), job);
        }
    }
}
