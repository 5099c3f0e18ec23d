package io.jenkins.plugins.platformsh.delivery.route;

import java.util.List;

/** The branch jobs of one multibranch project, looked up by the adapter; each call costs one project's lookup. */
public interface BranchJobs {

    /** The job of this branch (by its raw branch name), or null. */
    BranchJob byBranchName(String branchName);

    /** The jobs whose head is the change request with this id (GitHub can have a head and a merge job per request). */
    List<BranchJob> byChangeRequest(String changeRequestId);
}
