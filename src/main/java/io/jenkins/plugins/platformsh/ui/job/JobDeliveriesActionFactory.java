package io.jenkins.plugins.platformsh.ui.job;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.AbstractItem;
import hudson.model.Action;
import java.util.Collection;
import jenkins.model.TransientActionFactory;

/**
 * "Platform.sh deliveries" on every item with a Platform.sh trigger: a job (freestyle, Pipeline, a branch job of its
 * own) or a multibranch project, whose trigger registers under its full name. One factory for both, on what they
 * share, so that nothing here names branch-api.
 */
@Extension
public class JobDeliveriesActionFactory extends TransientActionFactory<AbstractItem> {

    @Override
    public Class<AbstractItem> type() {
        return AbstractItem.class;
    }

    @NonNull
    @Override
    public Class<? extends Action> actionType() {
        return JobDeliveriesAction.class;
    }

    @NonNull
    @Override
    public Collection<? extends Action> createFor(@NonNull AbstractItem target) {
        return JobDeliveriesAction.forItem(target);
    }
}
