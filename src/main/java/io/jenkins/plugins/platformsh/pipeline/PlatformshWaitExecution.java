package io.jenkins.plugins.platformsh.pipeline;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.platformsh.delivery.wait.Release;
import io.jenkins.plugins.platformsh.delivery.wait.Wait;
import io.jenkins.plugins.platformsh.delivery.wait.WaitSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * One waiting {@code waitForPlatformsh}: registered in the delivery package's waits, completed by the endpoint when a
 * delivery releases it. Holds no thread. What survives a restart is its fields (the deadline is absolute), and
 * {@link #onResume()} registers it again.
 */
class PlatformshWaitExecution extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(PlatformshWaitExecution.class.getName());

    private final String waitId = UUID.randomUUID().toString();
    private final String job;
    private final String owner;
    private final long sinceMillis;
    private final long deadlineMillis;
    private final String timeoutText;
    private final boolean failOnFailure;
    private final String events;
    private final String states;
    private final String environments;
    private final String projects;
    private final String commit;
    private final String credentialsId;
    /** Null in an execution saved before tokens had their own field (its credentialsId is then a shared key only). */
    private final String tokenCredentialsId;

    private transient volatile ScheduledFuture<?> timer;

    PlatformshWaitExecution(StepContext context, PlatformshWaitStep step, Run<?, ?> run) throws AbortException {
        super(context);
        this.job = run.getParent().getFullName();
        step.toSpec(job); // fails the step now, with the field's message, rather than waiting for nothing
        usable(run, step.getCredentialsId(), "credentialsId");
        usable(run, step.getTokenCredentialsId(), "tokenCredentialsId");
        this.owner = run.getFullDisplayName();
        // A delivery received since the build started counts: it may have arrived while earlier stages ran.
        this.sinceMillis = run.getStartTimeInMillis();
        this.deadlineMillis = System.currentTimeMillis() + step.timeoutMillis();
        this.timeoutText = step.getTimeout() + " " + step.getUnit().toLowerCase(java.util.Locale.ROOT);
        this.failOnFailure = step.isFailOnFailure();
        this.events = step.getEvents();
        this.states = step.getStates();
        this.environments = step.getEnvironments();
        this.projects = step.getProjects();
        this.commit = step.getCommit();
        this.credentialsId = step.getCredentialsId();
        this.tokenCredentialsId = step.getTokenCredentialsId();
    }

    /**
     * A Pipeline author may name only credentials this build could use, as {@code withCredentials} may: looked up
     * with the job's default authentication (which Authorize Project can make a user's), not as SYSTEM. Deliveries
     * are later verified with the key resolved as SYSTEM in the job's context, which then finds the same secret.
     */
    private static void usable(Run<?, ?> run, String id, String field) throws AbortException {
        if (id != null && CredentialsProvider.findCredentialById(id, StringCredentials.class, run, List.of()) == null) {
            throw new AbortException(PlatformshWaitStep.FUNCTION_NAME + "(): " + field
                    + ": no Secret text credentials '" + id + "' that this build may use");
        }
    }

    String waitId() {
        return waitId;
    }

    /** Checked in full (the caps too) when the step started: rebuilt as it was then, also after an upgrade. */
    WaitSpec spec() {
        return PlatformshWaitStep.spec(
                        job, events, states, environments, projects, commit, credentialsId, tokenCredentialsId)
                .uncapped()
                .build();
    }

    Wait toWait() {
        return new Wait(waitId, spec(), Instant.ofEpochMilli(sinceMillis), owner);
    }

    @Override
    public boolean start() throws Exception {
        log("Waiting up to " + timeoutText + " for a verified Platform.sh delivery: " + spec().describe());
        arm();
        return false;
    }

    @Override
    public void onResume() {
        try {
            log("Waiting again after a restart for a Platform.sh delivery (deliveries received while Jenkins was down "
                    + "are not seen): " + spec().describe());
            arm();
        } catch (RuntimeException e) {
            getContext().onFailure(e);
        }
    }

    /** Registers, with a timer for what is left of the timeout; released at once if a recent delivery matches. */
    private void arm() {
        PlatformshWaitRegistry registry = PlatformshWaitRegistry.get();
        registry.register(this);
        // Armed after registering: a timer firing first would find nothing to time out and leave the wait forever.
        if (registry.isWaiting(this)) {
            long left = Math.max(0, deadlineMillis - System.currentTimeMillis());
            timer = Timer.get().schedule(this::timedOut, left, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
        PlatformshWaitRegistry.get().unregister(this);
        cancelTimer();
        super.stop(cause);
    }

    /** Called once, by the registry, when a delivery released this wait. */
    void released(Release r) {
        cancelTimer();
        Map<String, Object> view = r.view();
        String what = view.get("type") + " " + view.get("state")
                + (view.get("result") == null ? "" : "/" + view.get("result")) + " of environment "
                + view.get("environment") + " (activity " + view.get("id") + ")";
        if (r.failed() && failOnFailure) {
            getContext()
                    .onFailure(new AbortException("Platform.sh reported a failed deployment: " + view.get("text")
                            + " - " + what + (view.get("activityUrl") == null ? "" : ", " + view.get("activityUrl"))
                            + ". Use failOnFailure: false to get the activity instead."));
            return;
        }
        log("Platform.sh delivered " + what + (view.get("url") == null ? "" : ": " + view.get("url")));
        getContext().onSuccess(new LinkedHashMap<>(view));
    }

    private void timedOut() {
        PlatformshWaitRegistry registry = PlatformshWaitRegistry.get();
        if (!registry.unregister(this)) {
            return; // released meanwhile: the release completes the step
        }
        try {
            getContext().onFailure(new AbortException(timeoutMessage(registry)));
        } catch (RuntimeException e) {
            getContext().onFailure(e); // the step must end whatever went wrong while explaining it
        }
    }

    private String timeoutMessage(PlatformshWaitRegistry registry) {
        Wait w = toWait();
        List<String> seen = registry.waits().explain(w);
        StringBuilder m = new StringBuilder(PlatformshWaitStep.FUNCTION_NAME)
                .append("(): timed out after ")
                .append(timeoutText)
                .append(" waiting for ")
                .append(w.spec().describe())
                .append('.');
        String scope = projects == null ? "any project" : "project " + projects;
        // Only what this job may see: the delivery package leaves out what other jobs' keys verified.
        if (seen.isEmpty()) {
            m.append(" No verified delivery for ")
                    .append(scope)
                    .append(" that this job may see was first received since the build started.");
        } else {
            m.append(" Verified deliveries for ")
                    .append(scope)
                    .append(" that this job may see, first received since the build started, and why each did not"
                            + " count:");
            seen.forEach(line -> m.append("\n  - ").append(line));
        }
        m.append("\nRemembered: ")
                .append(registry.waits().memoryLimits())
                .append(". Unsigned, forged or refused deliveries are listed on the Platform.sh deliveries page.");
        return m.toString();
    }

    private void cancelTimer() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }

    private void log(String line) {
        try {
            getContext().get(TaskListener.class).getLogger().println(line);
        } catch (Exception e) {
            LOGGER.log(Level.FINE, "no log for " + owner, e);
        }
    }

    @Override
    public String getStatus() {
        return "waiting for a Platform.sh delivery: " + spec().describe() + ", until "
                + Instant.ofEpochMilli(deadlineMillis)
                + (PlatformshWaitRegistry.get().isWaiting(this) ? "" : " (not registered)");
    }
}
