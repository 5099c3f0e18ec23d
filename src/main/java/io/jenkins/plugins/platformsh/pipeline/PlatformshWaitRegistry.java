package io.jenkins.plugins.platformsh.pipeline;

import hudson.Extension;
import hudson.ExtensionList;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.wait.Release;
import io.jenkins.plugins.platformsh.delivery.wait.Wait;
import io.jenkins.plugins.platformsh.delivery.wait.Waits;
import io.jenkins.plugins.platformsh.trigger.PlatformshTriggers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Wait ids to the step executions that wait. The delivery package decides which waits a delivery releases; this only
 * finds their executions and completes them.
 */
@Extension
public class PlatformshWaitRegistry {

    private static final Logger LOGGER = Logger.getLogger(PlatformshWaitRegistry.class.getName());

    private final Map<String, PlatformshWaitExecution> executions = new ConcurrentHashMap<>();

    public static PlatformshWaitRegistry get() {
        return ExtensionList.lookupSingleton(PlatformshWaitRegistry.class);
    }

    Waits waits() {
        return PlatformshTriggers.get().service().waits();
    }

    void register(PlatformshWaitExecution e) {
        // Mapped before the wait is indexed, so that a delivery releasing it at once finds its execution.
        executions.put(e.waitId(), e);
        Optional<Release> early;
        try {
            early = waits().register(e.toWait());
        } catch (RuntimeException x) {
            executions.remove(e.waitId(), e);
            throw x;
        }
        early.ifPresent(r -> complete(List.of(r)));
    }

    /**
     * Takes the wait out, and says whether this caller claimed its completion. Taking the execution out of the map is
     * the one claim, shared with {@link #complete}: whoever removes it completes the step, exactly once, even when a
     * delivery (which takes the wait out of the index first) and the timeout race, or the delivery's path fails
     * between the two.
     */
    boolean unregister(PlatformshWaitExecution e) {
        boolean claimed = executions.remove(e.waitId(), e);
        waits().remove(e.waitId());
        return claimed;
    }

    boolean isWaiting(PlatformshWaitExecution e) {
        return waits().isWaiting(e.waitId());
    }

    /** Completes the executions of released waits. Never throws: the sender's answer must not suffer. */
    public void complete(List<Release> releases) {
        for (Release r : releases) {
            PlatformshWaitExecution e = executions.remove(r.step().id());
            if (e == null) {
                LOGGER.log(
                        Level.FINE,
                        "Released wait {0} has no execution any more",
                        r.step().id());
                continue;
            }
            try {
                e.released(r);
            } catch (RuntimeException x) {
                LOGGER.log(
                        Level.WARNING,
                        "Could not complete waitForPlatformsh of " + r.step().owner(),
                        x);
            }
        }
    }

    /** What the deliveries page lists. */
    public List<Wait> waiting() {
        return waits().waiting();
    }

    /** A logged delivery and the waits it released, in words. */
    public record Released(DeliveryLog.Entry entry, List<String> waits) {}

    /** Of these log entries, those that released waits. */
    public List<Released> releasedByRecent(List<DeliveryLog.Entry> entries) {
        List<Released> out = new ArrayList<>();
        for (DeliveryLog.Entry e : entries) {
            List<String> ws = releasedBy(e.deliveryId());
            if (!ws.isEmpty()) {
                out.add(new Released(e, ws));
            }
        }
        return out;
    }

    /** The waits a logged delivery released, in words. */
    public List<String> releasedBy(String deliveryId) {
        return waits().releasedBy(deliveryId);
    }
}
