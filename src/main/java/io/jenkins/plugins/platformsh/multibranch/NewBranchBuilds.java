package io.jenkins.plugins.platformsh.multibranch;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.CauseAction;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.listeners.ItemListener;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.platformsh.delivery.route.BranchJob;
import io.jenkins.plugins.platformsh.delivery.route.BranchRoute;
import io.jenkins.plugins.platformsh.delivery.route.BranchRouter;
import io.jenkins.plugins.platformsh.delivery.route.FoldWindow;
import io.jenkins.plugins.platformsh.delivery.route.MissingBranch;
import io.jenkins.plugins.platformsh.delivery.route.PendingBranchBuilds;
import io.jenkins.plugins.platformsh.delivery.route.RecentIndexing;
import io.jenkins.plugins.platformsh.delivery.route.RouteDecision;
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.trigger.PlatformshBuilds;
import io.jenkins.plugins.platformsh.trigger.PlatformshCause;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.branch.MultiBranchProject;
import jenkins.model.Jenkins;
import jenkins.model.ParameterizedJobMixIn;
import jenkins.util.Timer;

/**
 * Deliveries for a branch job that does not exist yet: the project's branch indexing is scheduled, and the branch
 * job is built once, with the delivery's cause and variables, when indexing creates it (Jenkins fires
 * {@link #onCreated} for it), unless the bounded wait is over first. The deliveries page says which happened.
 *
 * <p>Indexing also queues a first build of a new branch job. The delivery's build is queued with a short quiet
 * period, and indexing's request arriving in it is merged with it ({@link FoldIntoDeliveryBuild}): one build.
 */
@Extension(optional = true)
public class NewBranchBuilds extends ItemListener {

    static final Class<?> REQUIRES = MultiBranchProject.class;

    private static final Logger LOGGER = Logger.getLogger(NewBranchBuilds.class.getName());

    /** Seconds; read at each delivery so an administrator can change it without a restart. */
    static final String WAIT_PROPERTY = NewBranchBuilds.class.getName() + ".waitSeconds";

    /** How long the delivery's build of a new branch job waits in the queue for indexing's own request to fold in. */
    static final int FOLD_QUIET_SECONDS = 5;

    /** A delivery waiting for its branch job. */
    record Waiting(Schedule schedule, String deliveryId, String targetId) {}

    /** The delivery's build of a new branch job, which indexing's first build of it may fold into. */
    record Queued(long itemId, String deliveryId, String targetId, String jobName) {}

    private final PendingBranchBuilds<Waiting> pending = new PendingBranchBuilds<>(1000);
    private final FoldWindow<Queued> folds = new FoldWindow<>();
    private final RecentIndexing indexings = new RecentIndexing(1000);

    public static NewBranchBuilds get() {
        return ExtensionList.lookupSingleton(NewBranchBuilds.class);
    }

    FoldWindow<Queued> folds() {
        return folds;
    }

    static Duration waitTime() {
        return MissingBranch.waitOf(System.getProperty(WAIT_PROPERTY));
    }

    /**
     * Schedules indexing (unless one is queued, or an earlier delivery for the route had one recently) and waits for
     * the branch job; what the deliveries page says now.
     */
    ScheduleResult await(
            MultiBranchProject<?, ?> project, BranchRoute route, RouteDecision missing, Schedule s, String deliveryId) {
        Duration wait = waitTime();
        Instant now = Instant.now();
        RecentIndexing.Seen earlier = indexings.begin(project.getFullName(), route, now, wait);
        MissingBranch.Plan plan =
                MissingBranch.plan(missing, Jenkins.get().getQueue().contains(project), earlier, now, wait);
        // Its record (and the redacted copy in it) is made now, as a queued build's is: the body as received is not
        // held for as long as the job is awaited.
        s.record();
        Waiting w = new Waiting(s, deliveryId, s.targetId());
        // Waiting before indexing starts, so that a job created by it is never missed.
        for (PendingBranchBuilds.Pending<Waiting> dropped :
                pending.add(project.getFullName(), route, w, now.plus(wait))) {
            note(
                    dropped.payload(),
                    ScheduleResult.skipped(
                            "too many deliveries were waiting for new branch jobs; " + "this one stopped waiting"));
        }
        if (plan.scheduleIndexing()) {
            Queue.Item indexing = project.scheduleBuild2(
                    0,
                    new CauseAction(
                            new PlatformshCause(s.causeText(), s.activity().id(), deliveryId)));
            if (indexing == null) {
                pending.remove(w);
                indexings.forget(project.getFullName(), route);
                return ScheduleResult.failed(missing.reason() + ": branch indexing could not be scheduled");
            }
        }
        Timer.get().schedule(this::expire, wait.toMillis() + 1000, TimeUnit.MILLISECONDS);
        // The job may have been created between the lookup and the wait (an indexing that was already running).
        RouteDecision again = BranchRouter.route(route, new BranchJobLookup(project));
        for (String name : again.jobs()) {
            Job<?, ?> created = project.getItem(name);
            if (created != null) {
                appeared(project, created);
            }
        }
        return ScheduleResult.queued(plan.detail());
    }

    @Override
    public void onCreated(Item item) {
        if (item instanceof Job<?, ?> job && job.getParent() instanceof MultiBranchProject<?, ?> project) {
            appeared(project, job);
        }
    }

    @SuppressWarnings("try") // the context only has to be open
    private void appeared(MultiBranchProject<?, ?> project, Job<?, ?> job) {
        BranchJob branch = BranchJobLookup.describe(project, job);
        if (branch == null) {
            return;
        }
        indexings.appeared(project.getFullName(), branch);
        List<PendingBranchBuilds.Pending<Waiting>> claimed =
                pending.claim(project.getFullName(), branch, Instant.now());
        if (claimed.isEmpty()) {
            return;
        }
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            for (PendingBranchBuilds.Pending<Waiting> p : claimed) {
                Waiting w = p.payload();
                if (branch.state() != BranchJob.State.BUILDABLE) {
                    note(
                            w,
                            ScheduleResult.skipped("the branch job " + job.getName()
                                    + " appeared after branch indexing, " + "but it cannot build ("
                                    + branch.state().name().toLowerCase(Locale.ROOT) + ")"));
                    continue;
                }
                int quiet = Math.max(
                        FOLD_QUIET_SECONDS,
                        job instanceof ParameterizedJobMixIn.ParameterizedJob<?, ?> pj ? pj.getQuietPeriod() : 0);
                ScheduleResult queued = PlatformshBuilds.queue(job, w.schedule(), w.deliveryId(), quiet);
                if (queued.status() != ScheduleResult.Status.QUEUED) {
                    note(
                            w,
                            queued.status() == ScheduleResult.Status.SKIPPED
                                    ? ScheduleResult.skipped("the branch job " + job.getName()
                                            + " appeared after branch indexing, " + "but " + queued.reason())
                                    : ScheduleResult.failed("the branch job " + job.getName()
                                            + " appeared after branch indexing, " + "but the queue refused its build"));
                    continue;
                }
                folds.open(
                        job.getFullName(),
                        new Queued(queued.queueId(), w.deliveryId(), w.targetId(), job.getName()),
                        Instant.now().plusSeconds(quiet));
                note(w, ScheduleResult.queued("branch job " + job.getName() + " (it appeared after branch indexing)"));
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not queue " + job.getFullName() + " for a Platform.sh delivery", e);
        }
    }

    private void expire() {
        for (PendingBranchBuilds.Pending<Waiting> p : pending.expire(Instant.now())) {
            note(
                    p.payload(),
                    ScheduleResult.skipped("no branch job for " + p.route().describe() + " appeared within "
                            + MissingBranch.words(waitTime()) + " after branch indexing; nothing was built"));
        }
    }

    @Override
    public void onLocationChanged(Item item, String oldFullName, String newFullName) {
        pending.moved(oldFullName, newFullName);
        indexings.moved(oldFullName, newFullName);
    }

    @Override
    public void onDeleted(Item item) {
        indexings.deleted(item.getFullName());
        for (PendingBranchBuilds.Pending<Waiting> p : pending.deleted(item.getFullName())) {
            note(
                    p.payload(),
                    ScheduleResult.skipped("the multibranch project was deleted while waiting for its branch job"));
        }
    }

    static void note(Waiting w, ScheduleResult result) {
        PlatformshBuilds.log().note(w.deliveryId(), w.targetId(), result);
    }
}
