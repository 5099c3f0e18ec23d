package io.jenkins.plugins.platformsh.delivery.route;

import java.util.ArrayList;
import java.util.List;

/**
 * The environments a branch job's trigger listens to when it names none: its own. A branch job for {@code feature-x}
 * listens to the environment {@code feature-x}; a change request job for request 12 to {@code pr-12} (Platform.sh's
 * name for a pull request's environment) and to its own head name.
 */
public final class BranchEnvironments {

    private BranchEnvironments() {}

    /**
     * @param branchName the head's name (may be null: then only the change request is used)
     * @param changeRequestId the change request's id, or null
     */
    public static List<String> of(String branchName, String changeRequestId) {
        List<String> out = new ArrayList<>(2);
        if (branchName != null && !branchName.isBlank()) {
            out.add(branchName);
        }
        if (changeRequestId != null && changeRequestId.matches("[0-9]{1,18}")) {
            String pr = "pr-" + changeRequestId;
            if (!out.contains(pr)) {
                out.add(pr);
            }
        }
        return List.copyOf(out);
    }
}
