package io.jenkins.plugins.platformsh.multibranch;

import hudson.Extension;
import hudson.model.Action;
import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Job;
import hudson.model.ParametersAction;
import hudson.model.Queue;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.trigger.PlatformshDeliveryAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jenkins.branch.BranchIndexingCause;
import jenkins.branch.MultiBranchProject;
import jenkins.model.Jenkins;

/**
 * Branch indexing's first build of a new branch job, requested while the delivery's build of it waits in its quiet
 * period, becomes one build: the delivery's build is taken out of the queue and its cause, parameters and variables
 * join indexing's request (which keeps its own revision, so branch-api's bookkeeping of what was built stays right).
 * The list of actions is documented as live and changeable here ({@code Queue.QueueDecisionHandler}). Only a request
 * with branch-api's {@link BranchIndexingCause} folds: anything else in the window (a user's "Build with
 * Parameters", an SCM event) is a build of its own, with its own parameters.
 */
// Last of all handlers: one that vetoes indexing's request (branch-api's NoTriggerBranchProperty dispatcher, say)
// must do so before the delivery's build is cancelled, or neither would build.
@Extension(optional = true, ordinal = -10000)
public class FoldIntoDeliveryBuild extends Queue.QueueDecisionHandler {

    static final Class<?> REQUIRES = MultiBranchProject.class;

    @Override
    public boolean shouldSchedule(Queue.Task p, List<Action> actions) {
        if (!(p instanceof Job<?, ?> job) || !(job.getParent() instanceof MultiBranchProject)) {
            return true;
        }
        if (!fromIndexing(actions)) {
            // A user's "Build with Parameters", an SCM event, a delivery's own build: each builds as asked.
            return true;
        }
        NewBranchBuilds.Queued ours = NewBranchBuilds.get().folds().take(job.getFullName(), Instant.now());
        if (ours == null) {
            return true;
        }
        Queue queue = Jenkins.get().getQueue();
        Queue.Item item = queue.getItem(ours.itemId());
        if (item == null || !queue.cancel(item)) {
            return true; // it already left the queue: both build, as two requests for a job that is running do
        }
        merge(deliveryActions(item), actions);
        NewBranchBuilds.note(
                new NewBranchBuilds.Waiting(null, ours.deliveryId(), ours.targetId()),
                ScheduleResult.queued(
                        "branch job " + ours.jobName() + " (it appeared after branch indexing; indexing's "
                                + "first build of it carries this delivery)"));
        return true;
    }

    /** Branch indexing's request, and not a delivery's own build (which carries its action). */
    static boolean fromIndexing(List<Action> actions) {
        boolean indexing = false;
        for (Action a : actions) {
            if (a instanceof PlatformshDeliveryAction) {
                return false;
            }
            if (a instanceof CauseAction c) {
                indexing |= c.getCauses().stream().anyMatch(BranchIndexingCause.class::isInstance);
            }
        }
        return indexing;
    }

    /**
     * What the delivery's build carries of its own: its cause, parameters and delivery action. Not getAllActions(),
     * which adds transient actions (and those earlier handlers put in), which would then be there twice.
     */
    private static List<Action> deliveryActions(Queue.Item item) {
        List<Action> out = new ArrayList<>();
        for (Class<? extends Action> type :
                List.of(CauseAction.class, ParametersAction.class, PlatformshDeliveryAction.class)) {
            Action a = item.getAction(type);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    /** The delivery's causes first (the build page shows the first), then indexing's; the delivery's parameters win. */
    static void merge(List<? extends Action> delivery, List<Action> indexing) {
        List<Cause> causes = new ArrayList<>();
        List<Action> rest = new ArrayList<>();
        boolean deliveryParameters = false;
        for (Action a : delivery) {
            if (a instanceof CauseAction c) {
                causes.addAll(c.getCauses());
            } else {
                rest.add(a);
                deliveryParameters |= a instanceof ParametersAction;
            }
        }
        for (Action a : indexing) {
            if (a instanceof CauseAction c) {
                causes.addAll(c.getCauses());
            } else if (!(deliveryParameters && a instanceof ParametersAction)) {
                rest.add(a);
            }
        }
        indexing.clear();
        indexing.add(new CauseAction(causes));
        indexing.addAll(rest);
    }
}
