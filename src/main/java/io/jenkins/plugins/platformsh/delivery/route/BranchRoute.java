package io.jenkins.plugins.platformsh.delivery.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which branch job of a multibranch project an activity's environment may be, in the order to look: the branch
 * named like the environment, then like its machine name, then (for {@code pr-N}) the change request N.
 *
 * <p>Platform.sh's source integrations (GitHub, GitLab, Bitbucket) name a branch's environment after the branch and
 * a pull request's {@code pr-N}, as far as their public documentation shows; whether an environment name can differ
 * from its branch (a slash, upper case, a length limit) is not documented. Nothing is guessed here: a name that
 * matches no branch job is reported with the names that were looked up, so a user can set {@code environments:}
 * or rename.
 *
 * @param branchNames the branch names to look up, in order, distinct; never empty for a routable activity
 * @param changeRequestId the change request number for a {@code pr-N} environment, else null
 */
public record BranchRoute(List<String> branchNames, String changeRequestId) {

    private static final Pattern PULL_REQUEST = Pattern.compile("pr-([0-9]{1,18})");

    public BranchRoute {
        branchNames = List.copyOf(branchNames);
    }

    /** The route for an activity's environment and machine name (either may be null). */
    public static BranchRoute of(String environment, String machineName) {
        List<String> names = new ArrayList<>(2);
        for (String n : new String[] {environment, machineName}) {
            if (n != null && !n.isBlank() && !names.contains(n)) {
                names.add(n);
            }
        }
        String changeRequest = null;
        for (String n : names) {
            Matcher m = PULL_REQUEST.matcher(n.toLowerCase(Locale.ROOT));
            if (m.matches()) {
                // "pr-007" and "pr-7" are the same request: the number, without leading zeros, is its id.
                changeRequest = stripZeros(m.group(1));
                break;
            }
        }
        return new BranchRoute(names, changeRequest);
    }

    private static String stripZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    /** No environment at all (a project-level activity, a health notification): no branch job is meant. */
    public boolean isEmpty() {
        return branchNames.isEmpty();
    }

    /** Whether this branch job is one the route looks for: by branch name, or by change request. */
    public boolean answeredBy(BranchJob job) {
        if (job.branchName() != null && branchNames.contains(job.branchName())) {
            return true;
        }
        return changeRequestId != null && changeRequestId.equals(job.changeRequestId());
    }

    /** What was looked up, for the deliveries page: {@code branch 'pr-12' or change request 12}. */
    public String describe() {
        if (branchNames.isEmpty()) {
            return "no environment";
        }
        StringBuilder b = new StringBuilder("branch ");
        for (int i = 0; i < branchNames.size(); i++) {
            if (i > 0) {
                b.append(" or ");
            }
            b.append('\'').append(branchNames.get(i)).append('\'');
        }
        if (changeRequestId != null) {
            b.append(" or change request ").append(changeRequestId);
        }
        return b.toString();
    }
}
