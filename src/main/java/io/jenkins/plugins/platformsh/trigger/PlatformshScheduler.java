package io.jenkins.plugins.platformsh.trigger;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Action;
import hudson.model.CauseAction;
import hudson.model.Job;
import hudson.model.ParameterDefinition;
import hudson.model.ParameterValue;
import hudson.model.ParametersAction;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.Queue;
import hudson.model.SimpleParameterDefinition;
import hudson.model.StringParameterValue;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.platformsh.delivery.match.Coalesce;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.model.ParameterizedJobMixIn;

/**
 * Queues one build per accepted delivery and job, as SYSTEM. Each failure is caught and reported per job: once
 * anything was queued, nothing here may turn the answer into an error, or Platform.sh would retry and build twice.
 */
public final class PlatformshScheduler {

    private static final Logger LOGGER = Logger.getLogger(PlatformshScheduler.class.getName());

    private PlatformshScheduler() {}

    /**
     * Fills {@code results} with what became of each target, for {@code DeliveryService.afterScheduling}, as it goes:
     * if something stops the loop, what was queued is known.
     */
    @SuppressWarnings("try") // the context only has to be open
    public static void scheduleAll(Outcome outcome, PlatformshTriggers triggers, Map<String, ScheduleResult> results) {
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            for (Schedule s : outcome.schedules()) {
                ScheduleResult result;
                try {
                    // A target that is not a single job (a multibranch project) is routed by the support for it.
                    result = PlatformshTargetSupport.scheduleElsewhere(s, outcome);
                    if (result == null) {
                        result = schedule(s, outcome.deliveryId(), triggers);
                    }
                } catch (RuntimeException | LinkageError e) {
                    LOGGER.log(Level.WARNING, "Could not queue " + s.targetId() + " for a Platform.sh delivery", e);
                    result = ScheduleResult.failed(
                            "could not be queued (" + e.getClass().getSimpleName() + "); see the Jenkins log");
                }
                results.put(s.targetId(), result);
            }
        }
    }

    private static ScheduleResult schedule(Schedule s, String deliveryId, PlatformshTriggers triggers) {
        Job<?, ?> job = Jenkins.get().getItemByFullName(s.targetId(), Job.class);
        if (job == null) {
            triggers.forget(s.targetId(), s.spec());
            return ScheduleResult.skipped("the job no longer exists");
        }
        if (ParameterizedJobMixIn.getTrigger(job, PlatformshTrigger.class) == null) {
            triggers.forget(s.targetId(), s.spec());
            return ScheduleResult.skipped("the job no longer has a Platform.sh trigger");
        }
        if (!job.isBuildable()) {
            // Permanent until someone enables it: a retry would meet the same job, so this is no failure.
            return ScheduleResult.skipped("the job is disabled");
        }
        return queue(job, s, deliveryId, -1);
    }

    /**
     * Queues one build of {@code job} for the delivery: its cause, parameters, variables and activity data. Also the
     * path of a multibranch project's branch job (see {@link PlatformshBuilds}), so both build the same way.
     * A quiet period of -1 is the job's own.
     */
    static ScheduleResult queue(Job<?, ?> job, Schedule s, String deliveryId, int quietPeriod) {
        List<Action> list = new ArrayList<>();
        list.add(new CauseAction(new PlatformshCause(s.causeText(), s.activity().id(), deliveryId)));
        // Parameters first: actions contribute to the environment in order, and ours (with '$' kept literal for
        // freestyle) must come last so a declared parameter of the same name does not expand $VAR in the value.
        ParametersAction parameters;
        try {
            parameters = declaredParameters(job, s.variables());
        } catch (RefusedValue e) {
            return ScheduleResult.parameterRefused(e.parameter, e.getCause().getMessage());
        }
        if (parameters != null) {
            list.add(parameters);
        }
        list.add(new PlatformshDeliveryAction(deliveryId, s.coalesceKey(), s.record()));
        Action[] actions = list.toArray(new Action[0]);
        Queue.Item item;
        if (s.spec().coalesce() == Coalesce.LATEST_PER_ENVIRONMENT) {
            item = replaceQueued(job, s, actions, quietPeriod);
        } else {
            item = ParameterizedJobMixIn.scheduleBuild2(job, quietPeriod, actions);
        }
        return item == null
                ? ScheduleResult.failed("the queue refused the build")
                : ScheduleResult.queued(item.getId());
    }

    /**
     * Queues this build, then cancels the other queued builds of this job that {@link Schedule#mayCancel} allows
     * (same project and environment, not a newer activity), under the queue lock so that no executor takes an old
     * item in between. Queue first: if the queue refuses the new build, the older delivery (already answered 200)
     * keeps its build. Cancelling rather than folding keeps each build's cause, variables and parameters those of one
     * delivery.
     */
    @CheckForNull
    private static Queue.Item replaceQueued(Job<?, ?> job, Schedule s, Action[] actions, int quietPeriod) {
        Queue.Item[] scheduled = new Queue.Item[1];
        Queue.withLock((Runnable) () -> {
            scheduled[0] = ParameterizedJobMixIn.scheduleBuild2(job, quietPeriod, actions);
            if (scheduled[0] != null && job instanceof Queue.Task task) {
                Queue queue = Jenkins.get().getQueue();
                for (Queue.Item queued : queue.getItems(task)) {
                    PlatformshDeliveryAction a = queued.getAction(PlatformshDeliveryAction.class);
                    if (queued.getId() != scheduled[0].getId()
                            && a != null
                            && s.mayCancel(a.getCoalesceKey(), a.getVariables())) {
                        queue.cancel(queued);
                    }
                }
            }
        });
        return scheduled[0];
    }

    /**
     * The job's declared parameters, with the delivery's value for those named like a variable and the default for
     * the others (a ParametersAction replaces the defaults the queue would otherwise add). Null when the job declares
     * none: the variables then reach the build through {@link PlatformshDeliveryAction} only.
     *
     * <p>A value goes through the definition's own {@code createValue(String)} when it has one, so that a boolean is
     * a BooleanParameterValue and a choice is checked against its list; other kinds (file, custom) get the text.
     *
     * @throws RefusedValue when a definition refuses the delivery's value: the job gets no build rather than a value
     *     its parameter does not allow
     */
    @CheckForNull
    private static ParametersAction declaredParameters(Job<?, ?> job, Map<String, String> variables)
            throws RefusedValue {
        ParametersDefinitionProperty property = job.getProperty(ParametersDefinitionProperty.class);
        if (property == null) {
            return null;
        }
        List<ParameterValue> values = new ArrayList<>();
        for (ParameterDefinition d : property.getParameterDefinitions()) {
            String value = variables.get(d.getName());
            if (value != null && d instanceof SimpleParameterDefinition simple) {
                try {
                    values.add(simple.createValue(value));
                } catch (IllegalArgumentException e) {
                    throw new RefusedValue(d.getName(), e);
                }
            } else if (value != null) {
                values.add(new StringParameterValue(d.getName(), value));
            } else {
                ParameterValue defaultValue = d.getDefaultParameterValue();
                if (defaultValue != null) {
                    values.add(defaultValue);
                }
            }
        }
        return new ParametersAction(values);
    }

    /** A declared parameter refused the delivery's value (a choice that does not list it). */
    private static final class RefusedValue extends Exception {
        private static final long serialVersionUID = 1L;
        final String parameter;

        RefusedValue(String parameter, IllegalArgumentException cause) {
            super(cause);
            this.parameter = parameter;
        }
    }
}
