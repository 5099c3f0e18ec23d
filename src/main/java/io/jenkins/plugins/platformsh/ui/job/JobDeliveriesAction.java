package io.jenkins.plugins.platformsh.ui.job;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Action;
import hudson.model.Item;
import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLabels;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.log.TimeText;
import io.jenkins.plugins.platformsh.trigger.PlatformshTriggers;
import io.jenkins.plugins.platformsh.trigger.QueuedBuild;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.kohsuke.stapler.StaplerProxy;

/**
 * A job's (or multibranch project's) own "Platform.sh deliveries": the last deliveries that reached its trigger, with
 * why each did or did not build it, so that its users need not be administrators to find out. Only for those who
 * may configure it (Item/Configure: they see its filters and keys' ids anyway), checked on every request; the link is
 * hidden from others. Only deliveries verified by a key valid for it ({@code DeliveryLog.Entry#visibleTo}): never one
 * verified only by another job's key, never an unsigned one.
 */
public final class JobDeliveriesAction implements Action, StaplerProxy {

    /** Deliveries listed, newest first. */
    public static final int SHOWN = 50;

    static final String URL_NAME = "platformsh-deliveries";

    private final Item item;

    JobDeliveriesAction(Item item) {
        this.item = item;
    }

    /** The action for an item whose Platform.sh trigger is registered now; none for any other item. */
    static Collection<? extends Action> forItem(Item item) {
        // Without reading the stored state: this is asked on every page of every job.
        boolean triggered = PlatformshTriggers.get().serviceNotLoaded().index().get(item.getFullName()) != null;
        return triggered ? Set.of(new JobDeliveriesAction(item)) : Set.of();
    }

    @Override
    public Object getTarget() {
        item.checkPermission(Item.CONFIGURE);
        return this;
    }

    @CheckForNull
    @Override
    public String getIconFileName() {
        return item.hasPermission(Item.CONFIGURE) ? "symbol-trigger" : null;
    }

    @Override
    public String getDisplayName() {
        return "Platform.sh deliveries";
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    public int getShown() {
        return SHOWN;
    }

    public Item getItem() {
        return item;
    }

    /**
     * Newest first: the deliveries this item may see in which it had a trigger, each with its result; when its trigger
     * names projects, only theirs.
     */
    public List<DeliveryLog.JobDelivery> getDeliveries() {
        DeliveryService service = PlatformshTriggers.get().service();
        String name = item.getFullName();
        return service.log().forTarget(name, service.index().get(name), SHOWN);
    }

    /** The build the delivery queued of this job and where it is; null if it queued none (or this is no job). */
    @CheckForNull
    public QueuedBuild queued(DeliveryLog.JobDelivery d) {
        return QueuedBuild.of(d.entry(), item.getFullName());
    }

    public String ago(DeliveryLog.JobDelivery d) {
        return TimeText.ago(d.entry().receivedAt(), Instant.now());
    }

    public String exactTime(DeliveryLog.JobDelivery d) {
        return TimeText.exact(d.entry().receivedAt());
    }

    public List<String> activityLines(DeliveryLog.JobDelivery d) {
        return DeliveryLabels.activity(d.entry());
    }
}
