package io.jenkins.plugins.platformsh.trigger;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.ExtensionList;
import hudson.ExtensionPoint;
import hudson.model.Item;
import hudson.model.Job;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import java.util.List;

/**
 * Targets that are not a single job: a multibranch project carries the trigger and builds one of its branch jobs.
 * Implemented in sub-packages by {@code @Extension(optional = true)} classes, so that this plugin loads without the
 * plugins they need (branch-api, scm-api); without them, the trigger is for jobs only, as before.
 */
public abstract class PlatformshTargetSupport implements ExtensionPoint {

    /** Whether the trigger may be configured on this item, which is not a job. */
    public abstract boolean isTarget(Item item);

    /** The environments this job's trigger listens to when it names none; empty (every environment) if not a branch job. */
    public abstract List<String> ownEnvironments(Job<?, ?> job);

    /** What became of a schedule whose target is this support's; null when it is not (a single job). */
    @CheckForNull
    public abstract ScheduleResult schedule(Schedule s, Outcome outcome);

    static ExtensionList<PlatformshTargetSupport> all() {
        return ExtensionList.lookup(PlatformshTargetSupport.class);
    }

    static boolean anyTarget(Item item) {
        for (PlatformshTargetSupport t : all()) {
            if (t.isTarget(item)) {
                return true;
            }
        }
        return false;
    }

    static List<String> ownEnvironmentsOf(Job<?, ?> job) {
        for (PlatformshTargetSupport t : all()) {
            List<String> own = t.ownEnvironments(job);
            if (!own.isEmpty()) {
                return own;
            }
        }
        return List.of();
    }

    @CheckForNull
    static ScheduleResult scheduleElsewhere(Schedule s, Outcome outcome) {
        for (PlatformshTargetSupport t : all()) {
            ScheduleResult r = t.schedule(s, outcome);
            if (r != null) {
                return r;
            }
        }
        return null;
    }
}
