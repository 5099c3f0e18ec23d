package io.jenkins.plugins.platformsh.ui.job;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Action;
import java.util.Collection;
import jenkins.branch.MultiBranchProject;
import jenkins.model.TransientActionFactory;

/**
 * "Platform.sh deliveries" on a multibranch project with a Platform.sh trigger: its trigger registers under the
 * project's full name, and a delivery's result for it names the branch job it built. Optional, like the classes of
 * {@code multibranch}: it fails to load, and is skipped, where branch-api is not installed.
 */
@Extension(optional = true)
@SuppressWarnings("rawtypes") // MultiBranchProject<?, ?> has no class literal
public class MultibranchDeliveriesActionFactory extends TransientActionFactory<MultiBranchProject> {

    /** Fails loading (and the extension is skipped) where branch-api is not installed. */
    static final Class<?> REQUIRES = MultiBranchProject.class;

    @Override
    public Class<MultiBranchProject> type() {
        return MultiBranchProject.class;
    }

    @NonNull
    @Override
    public Class<? extends Action> actionType() {
        return JobDeliveriesAction.class;
    }

    @NonNull
    @Override
    public Collection<? extends Action> createFor(@NonNull MultiBranchProject target) {
        return JobDeliveriesAction.forItem(target);
    }
}
