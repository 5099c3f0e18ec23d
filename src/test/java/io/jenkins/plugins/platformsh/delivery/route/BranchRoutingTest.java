package io.jenkins.plugins.platformsh.delivery.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.route.BranchJob.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BranchRoutingTest {

    /** A project's branch jobs, as the adapter would present them. */
    private static final class Jobs implements BranchJobs {
        final Map<String, BranchJob> byName = new LinkedHashMap<>();
        final List<String> lookups = new ArrayList<>();

        Jobs add(String jobName, String branch, String cr, State state) {
            byName.put(branch, new BranchJob(jobName, branch, cr, state));
            return this;
        }

        @Override
        public BranchJob byBranchName(String branchName) {
            lookups.add(branchName);
            return byName.get(branchName);
        }

        @Override
        public List<BranchJob> byChangeRequest(String id) {
            lookups.add("#" + id);
            return byName.values().stream()
                    .filter(j -> id.equals(j.changeRequestId()))
                    .toList();
        }
    }

    @Test
    void environmentThenMachineNameThenChangeRequest() {
        assertEquals(
                new BranchRoute(List.of("feature-x", "feature-x-abc123"), null),
                BranchRoute.of("feature-x", "feature-x-abc123"));
        assertEquals(new BranchRoute(List.of("main"), null), BranchRoute.of("main", "main"));
        assertEquals(new BranchRoute(List.of("pr-12"), "12"), BranchRoute.of("pr-12", null));
        assertEquals(new BranchRoute(List.of("PR-7", "pr-7"), "7"), BranchRoute.of("PR-7", "pr-7"));
        assertEquals("7", BranchRoute.of("pr-007", null).changeRequestId(), "leading zeros name the same request");
        assertEquals("0", BranchRoute.of("pr-0", null).changeRequestId());
        assertEquals(
                "branch 'pr-12' or change request 12",
                BranchRoute.of("pr-12", "").describe());
    }

    @Test
    void namesThatOnlyLookLikePullRequestsAreBranches() {
        for (String env :
                new String[] {"pr-", "pr-12a", "pr--12", "xpr-12", "pr-12-fix", "pr-1234567890123456789", "pr-١٢"}) {
            assertNull(BranchRoute.of(env, null).changeRequestId(), env);
            assertEquals(List.of(env), BranchRoute.of(env, null).branchNames());
        }
        assertTrue(BranchRoute.of(null, null).isEmpty());
        assertTrue(BranchRoute.of(" ", "\t").isEmpty());
    }

    @Test
    void anExactBranchWinsOverTheChangeRequest() {
        Jobs jobs =
                new Jobs().add("pr-12", "pr-12", null, State.BUILDABLE).add("PR-12", "PR-12", "12", State.BUILDABLE);
        RouteDecision d = BranchRouter.route(BranchRoute.of("pr-12", null), jobs);
        assertEquals(RouteDecision.Kind.BUILD, d.kind());
        assertEquals(List.of("pr-12"), d.jobs(), "a git branch really named pr-12 is that environment");
        assertEquals(List.of("pr-12"), jobs.lookups, "the change requests are not listed when the name is found");
    }

    @Test
    void pullRequestEnvironmentBuildsEveryJobOfTheRequest() {
        Jobs jobs = new Jobs()
                .add("PR-12-head", "PR-12-head", "12", State.BUILDABLE)
                .add("PR-12-merge", "PR-12-merge", "12", State.BUILDABLE)
                .add("PR-121", "PR-121", "121", State.BUILDABLE);
        RouteDecision d = BranchRouter.route(BranchRoute.of("pr-12", null), jobs);
        assertEquals(List.of("PR-12-head", "PR-12-merge"), d.jobs());
        assertEquals("branch job PR-12-head, PR-12-merge (change request 12)", d.reason());
    }

    @Test
    void slashesAndEncodedNamesArePassedThroughRaw() {
        Jobs jobs = new Jobs().add("feature%2Fx", "feature/x", null, State.BUILDABLE);
        RouteDecision d = BranchRouter.route(BranchRoute.of("feature/x", "feature-x"), jobs);
        assertEquals(List.of("feature%2Fx"), d.jobs());
        assertEquals(
                RouteDecision.Kind.MISSING,
                BranchRouter.route(BranchRoute.of("feature-x", null), jobs).kind(),
                "a sanitised name is not guessed back into a slash");
    }

    @Test
    void disabledAndOrphanedJobsAreSkippedWithTheirReason() {
        Jobs jobs = new Jobs().add("off", "off", null, State.DISABLED).add("gone", "gone", null, State.ORPHANED);
        RouteDecision off = BranchRouter.route(BranchRoute.of("off", null), jobs);
        assertEquals(RouteDecision.Kind.SKIP, off.kind());
        assertEquals("the branch job off is disabled", off.reason());
        RouteDecision gone = BranchRouter.route(BranchRoute.of("gone", null), jobs);
        assertEquals("the branch job gone is orphaned: its branch is gone from the source", gone.reason());
        Jobs pr = new Jobs()
                .add("PR-3-head", "PR-3-head", "3", State.DISABLED)
                .add("PR-3-merge", "PR-3-merge", "3", State.BUILDABLE);
        assertEquals(
                List.of("PR-3-merge"),
                BranchRouter.route(BranchRoute.of("pr-3", null), pr).jobs(),
                "one buildable job of the request is enough");
    }

    @Test
    void missingAndNoEnvironment() {
        RouteDecision m = BranchRouter.route(BranchRoute.of("new-env", "new-env-q2w3"), new Jobs());
        assertEquals(RouteDecision.Kind.MISSING, m.kind());
        assertEquals("no branch job for branch 'new-env' or 'new-env-q2w3'", m.reason());
        assertEquals(
                RouteDecision.Kind.SKIP,
                BranchRouter.route(BranchRoute.of(null, null), new Jobs()).kind());
    }

    @Test
    void aBranchJobWithItsOwnTriggerIsNotBuiltTwice() {
        Jobs jobs = new Jobs()
                .add("PR-3-head", "PR-3-head", "3", State.BUILDABLE)
                .add("PR-3-merge", "PR-3-merge", "3", State.BUILDABLE);
        RouteDecision d = BranchRouter.route(BranchRoute.of("pr-3", null), jobs);
        RouteDecision one = BranchRouter.withoutOwnTriggers(d, "f/mb", Set.of("f/mb/PR-3-head", "f/mb"));
        assertEquals(List.of("PR-3-merge"), one.jobs());
        RouteDecision none = BranchRouter.withoutOwnTriggers(d, "f/mb", Set.of("f/mb/PR-3-head", "f/mb/PR-3-merge"));
        assertEquals(RouteDecision.Kind.SKIP, none.kind());
        assertEquals(
                "the branch job PR-3-head, PR-3-merge is built by its own Platform.sh trigger for this delivery",
                none.reason());
        assertEquals(d, BranchRouter.withoutOwnTriggers(d, "f/m", Set.of("f/m/b/PR-3-head", "f/mbPR-3-head")));
    }

    @Test
    void branchEnvironments() {
        assertEquals(List.of("feature/x"), BranchEnvironments.of("feature/x", null));
        assertEquals(List.of("PR-12", "pr-12"), BranchEnvironments.of("PR-12", "12"));
        assertEquals(List.of("pr-12"), BranchEnvironments.of("pr-12", "12"));
        assertEquals(List.of("MR-4"), BranchEnvironments.of("MR-4", "abc"), "a non-numeric id is no Platform.sh pr-N");
        assertEquals(List.of(), BranchEnvironments.of(" ", null));
    }

    @Test
    void missingBranchPlansOneIndexing() {
        RouteDecision m = new RouteDecision(RouteDecision.Kind.MISSING, List.of(), "no branch job for branch 'x'");
        MissingBranch.Plan first = MissingBranch.plan(m, false, null, null, Duration.ofMinutes(5));
        assertTrue(first.scheduleIndexing());
        assertEquals(
                "no branch job for branch 'x': branch indexing scheduled; its job will be built once when it appears"
                        + " (waiting up to 5 minutes)",
                first.detail());
        MissingBranch.Plan joined = MissingBranch.plan(m, true, null, null, Duration.ofSeconds(1));
        assertFalse(joined.scheduleIndexing());
        assertTrue(joined.detail().contains("already queued") && joined.detail().endsWith("(waiting up to 1 second)"));
        assertEquals(MissingBranch.DEFAULT_WAIT, MissingBranch.waitOf(null));
        assertEquals(MissingBranch.DEFAULT_WAIT, MissingBranch.waitOf("-3"));
        assertEquals(MissingBranch.DEFAULT_WAIT, MissingBranch.waitOf("10s"));
        assertEquals(Duration.ofSeconds(2), MissingBranch.waitOf(" 2 "));
        assertEquals(Duration.ofHours(1), MissingBranch.waitOf("99999999999"));
    }
}
