package io.jenkins.plugins.platformsh.pipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.platformsh.config.PlatformshForms;
import io.jenkins.plugins.platformsh.delivery.match.FilterException;
import io.jenkins.plugins.platformsh.delivery.match.FilterValidation;
import io.jenkins.plugins.platformsh.delivery.text.Validation;
import io.jenkins.plugins.platformsh.delivery.wait.WaitSpec;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code waitForPlatformsh(...)}: waits, without holding an executor, until a verified Platform.sh delivery says an
 * environment has deployed, and returns that activity (the map of {@code platformshActivity()}, URL under
 * {@code url}). Named apart from the trigger's symbol {@code platformsh} and from core and basic steps.
 */
public class PlatformshWaitStep extends Step {

    static final String FUNCTION_NAME = "waitForPlatformsh";
    static final int DEFAULT_TIMEOUT = 60;

    private String events;
    private String states;
    private String environments;
    private String projects;
    /** Null: not given. Empty: given but empty, an error (most likely an unset variable). */
    private String commit;

    /** The job's own shared key: the signature only. */
    private String credentialsId;
    /** The job's own token: {@code ?token=} only. */
    private String tokenCredentialsId;

    private int timeout = DEFAULT_TIMEOUT;
    private String unit = TimeUnit.MINUTES.name();
    private boolean failOnFailure = true;

    @DataBoundConstructor
    public PlatformshWaitStep() {}

    @DataBoundSetter
    public void setEvents(String events) {
        this.events = Util.fixEmptyAndTrim(events);
    }

    @DataBoundSetter
    public void setStates(String states) {
        this.states = Util.fixEmptyAndTrim(states);
    }

    @DataBoundSetter
    public void setEnvironments(String environments) {
        this.environments = Util.fixEmptyAndTrim(environments);
    }

    /** {@code environment: 'pr-42'} reads better for the usual single environment. */
    @DataBoundSetter
    public void setEnvironment(String environment) {
        setEnvironments(environment);
    }

    @DataBoundSetter
    public void setProjects(String projects) {
        this.projects = Util.fixEmptyAndTrim(projects);
    }

    @DataBoundSetter
    public void setProject(String project) {
        setProjects(project);
    }

    @DataBoundSetter
    public void setCommit(String commit) {
        this.commit = commit == null ? "" : commit.trim();
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    @DataBoundSetter
    public void setTokenCredentialsId(String tokenCredentialsId) {
        this.tokenCredentialsId = Util.fixEmptyAndTrim(tokenCredentialsId);
    }

    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    @DataBoundSetter
    public void setUnit(String unit) {
        this.unit = unit == null || unit.isBlank()
                ? TimeUnit.MINUTES.name()
                : unit.trim().toUpperCase(Locale.ROOT);
    }

    @DataBoundSetter
    public void setFailOnFailure(boolean failOnFailure) {
        this.failOnFailure = failOnFailure;
    }

    public String getEvents() {
        return events;
    }

    public String getStates() {
        return states;
    }

    public String getEnvironments() {
        return environments;
    }

    /** An alias of {@code environments}, always shown as that. */
    @CheckForNull
    public String getEnvironment() {
        return null;
    }

    /** An alias of {@code projects}, always shown as that. */
    @CheckForNull
    public String getProject() {
        return null;
    }

    public String getProjects() {
        return projects;
    }

    public String getCommit() {
        return commit;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    public String getTokenCredentialsId() {
        return tokenCredentialsId;
    }

    public int getTimeout() {
        return timeout;
    }

    public String getUnit() {
        return unit;
    }

    public boolean isFailOnFailure() {
        return failOnFailure;
    }

    /** The filter, validated with the trigger's messages; the job's full name is where its own key is resolved. */
    WaitSpec toSpec(String job) throws AbortException {
        try {
            return spec(job, events, states, environments, projects, commit, credentialsId, tokenCredentialsId)
                    .build();
        } catch (FilterException e) {
            throw new AbortException(FUNCTION_NAME + "(): " + e.getMessage());
        }
    }

    /** The one place the step's fields become a spec: also where a resumed execution rebuilds its own. */
    static WaitSpec.Builder spec(
            String job,
            String events,
            String states,
            String environments,
            String projects,
            String commit,
            String credentialsId,
            String tokenCredentialsId) {
        return WaitSpec.builder(job)
                .events(events)
                .states(states)
                .environments(environments)
                .projects(projects)
                .commit(commit)
                .credentialsId(credentialsId)
                .tokenCredentialsId(tokenCredentialsId);
    }

    static final long MAX_TIMEOUT_MILLIS = TimeUnit.DAYS.toMillis(7);

    /** The timeout in milliseconds. */
    long timeoutMillis() throws AbortException {
        TimeUnit u;
        try {
            u = TimeUnit.valueOf(unit);
        } catch (IllegalArgumentException e) {
            throw new AbortException(FUNCTION_NAME + "(): unit must be SECONDS, MINUTES or HOURS, not '" + unit + "'");
        }
        if (timeout <= 0 || (u != TimeUnit.SECONDS && u != TimeUnit.MINUTES && u != TimeUnit.HOURS)) {
            throw new AbortException(
                    FUNCTION_NAME + "(): timeout must be a positive number of SECONDS, MINUTES or HOURS");
        }
        long millis = u.toMillis(timeout);
        if (millis > MAX_TIMEOUT_MILLIS) {
            // A wait is held in memory and on disk until it ends: a lost build must not keep one forever.
            throw new AbortException(FUNCTION_NAME + "(): timeout must be at most 7 days");
        }
        return millis;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        Run<?, ?> run = context.get(Run.class);
        return new PlatformshWaitExecution(context, this, run);
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @Override
        public String getFunctionName() {
            return FUNCTION_NAME;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Wait until Platform.sh has deployed an environment";
        }

        public String getDefaultEvents() {
            return WaitSpec.DEFAULT_EVENTS;
        }

        @POST
        public FormValidation doCheckEvents(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, FilterValidation.events(value));
        }

        @POST
        public FormValidation doCheckStates(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, FilterValidation.states(value));
        }

        @POST
        public FormValidation doCheckProjects(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, FilterValidation.projects(value));
        }

        @POST
        public FormValidation doCheckEnvironments(@AncestorInPath Item item, @QueryParameter String value) {
            return check(item, FilterValidation.environments(value));
        }

        @POST
        public FormValidation doCheckCommit(@AncestorInPath Item item, @QueryParameter String value) {
            return value == null || value.isBlank() ? FormValidation.ok() : check(item, FilterValidation.commit(value));
        }

        @POST
        public FormValidation doCheckTokenCredentialsId(
                @AncestorInPath Item item, @QueryParameter String value, @QueryParameter String credentialsId) {
            if (value == null || value.isBlank()) {
                return FormValidation.ok();
            }
            Validation roles = PlatformshForms.oneRole(credentialsId, value);
            return roles.isError()
                    ? check(item, roles)
                    : check(item, Validation.warning(PlatformshForms.TOKEN_WARNING));
        }

        @POST
        public FormValidation doCheckTimeout(@AncestorInPath Item item, @QueryParameter String value) {
            if (!canConfigure(item)) {
                return FormValidation.ok();
            }
            return FormValidation.validatePositiveInteger(value);
        }

        @POST
        public ListBoxModel doFillUnitItems(@AncestorInPath Item item) {
            ListBoxModel m = new ListBoxModel();
            if (canConfigure(item)) {
                m.add("Minutes", TimeUnit.MINUTES.name());
                m.add("Seconds", TimeUnit.SECONDS.name());
                m.add("Hours", TimeUnit.HOURS.name());
            }
            return m;
        }

        private static FormValidation check(@CheckForNull Item item, Validation v) {
            if (!canConfigure(item)) {
                return FormValidation.ok();
            }
            return PlatformshForms.toFormValidation(v);
        }

        private static boolean canConfigure(@CheckForNull Item item) {
            return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(Item.CONFIGURE);
        }
    }
}
