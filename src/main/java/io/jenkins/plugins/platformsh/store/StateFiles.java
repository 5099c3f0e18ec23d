package io.jenkins.plugins.platformsh.store;

import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.state.StateStore;
import jenkins.model.Jenkins;
import jenkins.util.Timer;

/**
 * Where and when the de-duplication memory and the delivery log are stored: {@code $JENKINS_HOME/platformsh-webhook/};
 * the log's changes are appended by Jenkins' shared timer a few seconds after a change, and at an orderly shutdown
 * (the de-duplication memory's own records are appended on the delivery's thread, before its answer). What is stored
 * and how is decided by {@link StateStore}.
 */
public final class StateFiles {

    public static final String DIRECTORY = "platformsh-webhook";

    private StateFiles() {}

    public static StateStore create(Deduplicator dedupe, DeliveryLog log) {
        return new StateStore(
                Jenkins.get().getRootDir().toPath().resolve(DIRECTORY),
                dedupe,
                log,
                Timer.get(),
                StateStore.DEFAULT_DELAY_SECONDS);
    }
}
