package io.jenkins.plugins.platformsh.ui.job;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Action;
import hudson.model.Job;
import java.util.Collection;
import jenkins.model.TransientActionFactory;

/** "Platform.sh deliveries" on every job with a Platform.sh trigger (freestyle, Pipeline, a branch job of its own). */
@Extension
@SuppressWarnings("rawtypes") // TransientActionFactory<Job<?, ?>> has no class literal
public class JobDeliveriesActionFactory extends TransientActionFactory<Job> {

    @Override
    public Class<Job> type() {
        return Job.class;
    }

    @NonNull
    @Override
    public Class<? extends Action> actionType() {
        return JobDeliveriesAction.class;
    }

    @NonNull
    @Override
    public Collection<? extends Action> createFor(@NonNull Job target) {
        return JobDeliveriesAction.forItem(target);
    }
}
