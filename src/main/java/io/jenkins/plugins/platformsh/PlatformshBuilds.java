package io.jenkins.plugins.platformsh;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Job;
import hudson.model.Queue;
import io.jenkins.plugins.platformsh.delivery.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.Schedule;

/**
 * What a {@link PlatformshTargetSupport} in a sub-package may use of the single-job path: queue a build exactly as a
 * job's own trigger would (cause, parameters, variables, {@code platformshActivity()} data), and note later what
 * became of a delivery on the deliveries page.
 */
public final class PlatformshBuilds {

    private PlatformshBuilds() {}

    /** Queues one build of {@code job} for the delivery, with the quiet period given (-1: the job's); null if refused. */
    @CheckForNull
    public static Queue.Item queue(Job<?, ?> job, Schedule s, String deliveryId, int quietPeriod) {
        return PlatformshScheduler.queue(job, s, deliveryId, quietPeriod);
    }

    /** The delivery log the deliveries page shows. */
    public static DeliveryLog log() {
        return PlatformshTriggers.get().service().log();
    }
}
