package io.jenkins.plugins.platformsh.multibranch;

import hudson.Extension;
import hudson.model.Item;
import hudson.model.Job;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.route.BranchEnvironments;
import io.jenkins.plugins.platformsh.delivery.route.BranchJob;
import io.jenkins.plugins.platformsh.delivery.route.BranchRoute;
import io.jenkins.plugins.platformsh.delivery.route.BranchRouter;
import io.jenkins.plugins.platformsh.delivery.route.RouteDecision;
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.trigger.PlatformshBuilds;
import io.jenkins.plugins.platformsh.trigger.PlatformshTargetSupport;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.branch.MultiBranchProject;
import jenkins.model.Jenkins;

/**
 * The Platform.sh trigger on a multibranch project, and inside its branch jobs. A delivery for the project builds
 * the branch job {@link BranchRouter} picks; a missing one is left to {@link NewBranchBuilds}.
 */
@Extension(optional = true)
public class MultibranchSupport extends PlatformshTargetSupport {

    private static final Logger LOGGER = Logger.getLogger(MultibranchSupport.class.getName());

    /** Fails loading (and the extension is skipped) where branch-api is not installed. */
    static final Class<?> REQUIRES = MultiBranchProject.class;

    @Override
    public boolean isTarget(Item item) {
        return item instanceof MultiBranchProject;
    }

    @Override
    public List<String> ownEnvironments(Job<?, ?> job) {
        if (!(job.getParent() instanceof MultiBranchProject<?, ?> project)) {
            return List.of();
        }
        BranchJob b;
        try {
            b = BranchJobLookup.describe(project, job);
        } catch (RuntimeException e) {
            // A branch job whose branch cannot be read (a half-written config.xml): it listens to every environment,
            // as before this plugin knew multibranch, and says so.
            LOGGER.log(
                    Level.WARNING,
                    "Could not read the branch of " + job.getFullName()
                            + "; its Platform.sh trigger listens to every environment",
                    e);
            return List.of();
        }
        return b == null ? List.of() : BranchEnvironments.of(b.branchName(), b.changeRequestId());
    }

    @Override
    public ScheduleResult schedule(Schedule s, Outcome outcome) {
        if (!(Jenkins.get().getItemByFullName(s.targetId()) instanceof MultiBranchProject<?, ?> project)) {
            return null;
        }
        if (project.getTriggers().values().stream().noneMatch(t -> t instanceof PlatformshTrigger)) {
            return ScheduleResult.skipped("the multibranch project no longer has a Platform.sh trigger");
        }
        if (!project.isBuildable()) {
            return ScheduleResult.skipped("the multibranch project is disabled");
        }
        BranchRoute route =
                BranchRoute.of(s.activity().environment(), s.activity().machineName());
        RouteDecision d = BranchRouter.withoutOwnTriggers(
                BranchRouter.route(
                        route,
                        new BranchJobLookup(project),
                        outcome.verification().orElse(null)),
                project.getFullName(),
                targets(outcome));
        return switch (d.kind()) {
            case SKIP -> ScheduleResult.skipped(d.reason());
            case MISSING -> NewBranchBuilds.get().await(project, route, d, s, outcome.deliveryId());
            case BUILD -> build(project, d, s, outcome.deliveryId());
        };
    }

    private static ScheduleResult build(
            MultiBranchProject<?, ?> project, RouteDecision d, Schedule s, String deliveryId) {
        int queued = 0;
        ScheduleResult skipped = null;
        for (String name : d.jobs()) {
            Job<?, ?> job = project.getItem(name);
            ScheduleResult r = job == null ? null : PlatformshBuilds.queue(job, s, deliveryId, -1);
            if (r != null && r.status() == ScheduleResult.Status.QUEUED) {
                queued++;
            } else if (r != null && r.status() == ScheduleResult.Status.SKIPPED) {
                skipped = r; // a parameter refused the value: a retry would meet the same refusal
            }
        }
        if (queued > 0) {
            return ScheduleResult.queued(d.reason());
        }
        return skipped != null
                ? ScheduleResult.skipped(d.reason() + ": " + skipped.reason())
                : ScheduleResult.failed("the queue refused the build of " + d.reason());
    }

    private static Set<String> targets(Outcome outcome) {
        Set<String> out = new HashSet<>();
        for (Schedule s : outcome.schedules()) {
            out.add(s.targetId());
        }
        return out;
    }
}
