package io.jenkins.plugins.platformsh.trigger;

import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.model.Items;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.util.XStream2;

/**
 * Jobs, builds and queued items saved before these classes moved into this package name them by their old names
 * ({@code io.jenkins.plugins.platformsh.PlatformshTrigger}, ...). Those names stay readable; new saves write the new
 * ones. Registered before plugins start, so before any job, build or the queue is read.
 */
public final class PersistedNames {

    /** The package every persisted class lived in until the adapters were split by concern. */
    public static final String OLD_PACKAGE = "io.jenkins.plugins.platformsh.";

    private PersistedNames() {}

    @Initializer(before = InitMilestone.PLUGINS_STARTED)
    public static void addAliases() {
        Items.XSTREAM2.addCompatibilityAlias(OLD_PACKAGE + "PlatformshTrigger", PlatformshTrigger.class);
        // A build keeps its cause and action in build.xml; a queued item keeps them in queue.xml across a restart.
        for (XStream2 xs : new XStream2[] {Run.XSTREAM2, (XStream2) Queue.XSTREAM}) {
            xs.addCompatibilityAlias(OLD_PACKAGE + "PlatformshCause", PlatformshCause.class);
            xs.addCompatibilityAlias(OLD_PACKAGE + "PlatformshDeliveryAction", PlatformshDeliveryAction.class);
        }
    }
}
