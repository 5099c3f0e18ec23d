package io.jenkins.plugins.platformsh.multibranch;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import hudson.model.Job;
import io.jenkins.plugins.platformsh.delivery.route.BranchJob;
import io.jenkins.plugins.platformsh.delivery.route.BranchJobs;
import java.util.ArrayList;
import java.util.List;
import jenkins.branch.Branch;
import jenkins.branch.BranchProjectFactory;
import jenkins.branch.MultiBranchProject;
import jenkins.scm.api.SCMHead;
import jenkins.scm.api.mixin.ChangeRequestSCMHead;

/** One multibranch project's branch jobs, described for {@link io.jenkins.plugins.platformsh.delivery.route.BranchRouter}. */
final class BranchJobLookup implements BranchJobs {

    private final MultiBranchProject<?, ?> project;

    BranchJobLookup(MultiBranchProject<?, ?> project) {
        this.project = project;
    }

    @Override
    public BranchJob byBranchName(String branchName) {
        // getItemByBranchName encodes the raw name (NameEncoder: "feature/x" is the job "feature%2Fx").
        Job<?, ?> job = project.getItemByBranchName(branchName);
        return job == null ? null : describe(project, job);
    }

    @Override
    public List<BranchJob> byChangeRequest(String changeRequestId) {
        List<BranchJob> out = new ArrayList<>();
        for (Job<?, ?> job : project.getItems()) {
            BranchJob b = describe(project, job);
            if (b != null && changeRequestId.equals(b.changeRequestId())) {
                out.add(b);
            }
        }
        return out;
    }

    /** The job as a branch job of {@code project}, or null if the project's factory does not own it. */
    @CheckForNull
    @SuppressWarnings({"rawtypes", "unchecked"}) // the factory is typed by the project's job type, known here as Item
    static BranchJob describe(MultiBranchProject<?, ?> project, Item item) {
        BranchProjectFactory factory = project.getProjectFactory();
        if (!(item instanceof Job<?, ?> job) || !factory.isProject(item)) {
            return null;
        }
        Branch branch = factory.getBranch(factory.asProject(item));
        SCMHead head = branch.getHead();
        String changeRequest = head instanceof ChangeRequestSCMHead cr ? cr.getId() : null;
        BranchJob.State state;
        if (branch instanceof Branch.Dead) {
            state = BranchJob.State.ORPHANED; // before "disabled": Jenkins also disables what it keeps orphaned
        } else if (!job.isBuildable()) {
            state = BranchJob.State.DISABLED;
        } else {
            state = BranchJob.State.BUILDABLE;
        }
        return new BranchJob(job.getName(), head.getName(), changeRequest, state);
    }
}
