package io.jenkins.plugins.platformsh.trigger;

import hudson.model.Job;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;

/**
 * What a {@link PlatformshTargetSupport} in a sub-package may use of the single-job path: queue a build exactly as a
 * job's own trigger would (cause, parameters, variables, {@code platformshActivity()} data), and note later what
 * became of a delivery on the deliveries page.
 */
public final class PlatformshBuilds {

    private PlatformshBuilds() {}

    /**
     * Queues one build of {@code job} for the delivery, with the quiet period given (-1: the job's): queued (with the
     * queue item's id), skipped (a parameter refused the delivery's value) or failed (the queue refused it).
     */
    public static ScheduleResult queue(Job<?, ?> job, Schedule s, String deliveryId, int quietPeriod) {
        return PlatformshScheduler.queue(job, s, deliveryId, quietPeriod);
    }

    /** The delivery log the deliveries page shows. */
    public static DeliveryLog log() {
        return PlatformshTriggers.get().service().log();
    }
}
