package io.jenkins.plugins.platformsh.trigger;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Run;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import jenkins.model.Jenkins;

/**
 * Where the build that a delivery queued for a job is now, for the deliveries page: still waiting, cancelled (a newer
 * delivery replaced it), or started, with its run. Looked up by the queue item id the scheduler reported.
 */
public final class QueuedBuild {

    /** Builds looked at, newest first, once the queue has forgotten the item (after 5 minutes). */
    static final int MAX_BUILDS_SCANNED = 50;

    private final Job<?, ?> job;
    private final Run<?, ?> run;
    private final boolean waiting;
    private final boolean cancelled;

    private QueuedBuild(Job<?, ?> job, Run<?, ?> run, boolean waiting, boolean cancelled) {
        this.job = job;
        this.run = run;
        this.waiting = waiting;
        this.cancelled = cancelled;
    }

    /** Null unless the delivery queued a build of this job and the job still exists. */
    @CheckForNull
    public static QueuedBuild of(DeliveryLog.Entry e, String targetId) {
        ScheduleResult s = e.scheduling(targetId);
        if (s == null || s.status() != ScheduleResult.Status.QUEUED) {
            return null;
        }
        Job<?, ?> job = Jenkins.get().getItemByFullName(targetId, Job.class);
        if (job == null) {
            return null;
        }
        if (!s.hasQueueId()) {
            return new QueuedBuild(job, null, false, false);
        }
        Queue.Item item = Jenkins.get().getQueue().getItem(s.queueId());
        if (item instanceof Queue.LeftItem left) {
            if (left.isCancelled()) {
                return new QueuedBuild(job, null, false, true);
            }
            if (left.getExecutable() instanceof Run<?, ?> r) {
                return new QueuedBuild(job, r, false, false);
            }
        } else if (item != null) {
            return new QueuedBuild(job, null, true, false);
        }
        return new QueuedBuild(job, scan(job, s.queueId(), e), false, false);
    }

    /**
     * The build with this queue id among the newest ones; its action must name the same delivery, in case queue ids
     * were ever reused. Stops at the first build older than the delivery.
     */
    @CheckForNull
    private static Run<?, ?> scan(Job<?, ?> job, long queueId, DeliveryLog.Entry e) {
        long receivedAt = e.receivedAt().toEpochMilli();
        int scanned = 0;
        for (Run<?, ?> r : job.getBuilds()) {
            if (r.getQueueId() == queueId) {
                PlatformshDeliveryAction a = r.getAction(PlatformshDeliveryAction.class);
                return a != null && e.deliveryId().equals(a.getDeliveryId()) ? r : null;
            }
            if (++scanned >= MAX_BUILDS_SCANNED || r.getTimeInMillis() < receivedAt) {
                break;
            }
        }
        return null;
    }

    public Job<?, ?> getJob() {
        return job;
    }

    @CheckForNull
    public Run<?, ?> getRun() {
        return run;
    }

    public boolean isWaiting() {
        return waiting;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
