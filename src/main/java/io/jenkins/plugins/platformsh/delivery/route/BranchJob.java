package io.jenkins.plugins.platformsh.delivery.route;

import java.util.Objects;

/**
 * One branch job of a multibranch project, as the adapter sees it.
 *
 * @param jobName the job's name inside its project (the encoded form Jenkins uses in URLs and full names)
 * @param branchName the branch (SCM head) name, e.g. {@code feature/x} or {@code PR-12}
 * @param changeRequestId the change request's id when the head is one (GitHub's pull request number), else null
 * @param state whether it can build
 */
public record BranchJob(String jobName, String branchName, String changeRequestId, State state) {

    /** What stops a branch job from building, if anything. */
    public enum State {
        BUILDABLE,
        /** Disabled: by a person, or with its project or folder. */
        DISABLED,
        /** Its branch is gone from the source; the orphaned item strategy keeps the job for a while. */
        ORPHANED
    }

    public BranchJob {
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(state, "state");
    }
}
