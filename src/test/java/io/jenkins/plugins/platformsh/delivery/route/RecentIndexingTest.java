package io.jenkins.plugins.platformsh.delivery.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.route.BranchJob.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An environment with no branch job is indexed once per two waits, however many deliveries it gets. */
class RecentIndexingTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final BranchRoute ONLY_ON_PLATFORMSH = BranchRoute.of("psh-only", null);
    private static final RouteDecision MISSING =
            new RouteDecision(RouteDecision.Kind.MISSING, List.of(), "no branch job for branch 'psh-only'");

    /** What a delivery at {@code at} plans, as NewBranchBuilds asks. */
    private static MissingBranch.Plan deliver(RecentIndexing r, String project, BranchRoute route, Instant at) {
        return MissingBranch.plan(MISSING, false, r.begin(project, route, at, WAIT), at, WAIT);
    }

    @Test
    void aStormOfDeliveriesForAnEnvironmentWithoutBranchJobIndexesOncePerTwoWaits() {
        RecentIndexing r = new RecentIndexing(10);
        int indexings = 0;
        // A delivery every 30 seconds for an hour (crons, backups, pushes to a Platform.sh-only environment).
        for (int s = 0; s < 3600; s += 30) {
            if (deliver(r, "mb", ONLY_ON_PLATFORMSH, T0.plusSeconds(s)).scheduleIndexing()) {
                indexings++;
            }
        }
        assertEquals(6, indexings, "at 0, 10:30, 21, 31:30, 42 and 52:30 minutes, not 120");
    }

    @Test
    void whatTheDeliveriesPageSaysWhileItRunsAndAfterItFoundNothing() {
        RecentIndexing r = new RecentIndexing(10);
        MissingBranch.Plan first = deliver(r, "mb", ONLY_ON_PLATFORMSH, T0);
        assertTrue(first.scheduleIndexing());
        MissingBranch.Plan during = deliver(r, "mb", ONLY_ON_PLATFORMSH, T0.plusSeconds(60));
        assertFalse(during.scheduleIndexing(), "a running indexing counts, not only a queued one");
        assertEquals(
                "no branch job for branch 'psh-only': branch indexing for an earlier delivery is under way, so it is"
                        + " not scheduled again; its job will be built once when it appears (waiting up to 5 minutes)",
                during.detail());
        MissingBranch.Plan after =
                deliver(r, "mb", ONLY_ON_PLATFORMSH, T0.plus(WAIT).plusSeconds(1));
        assertFalse(after.scheduleIndexing());
        assertEquals(
                "no branch job for branch 'psh-only': branch indexing for an earlier delivery found none, so it is not"
                        + " scheduled again before 2026-12-01T08:10:00Z; its job will be built once if it appears"
                        + " (waiting up to 5 minutes)",
                after.detail());
        assertTrue(deliver(
                        r,
                        "mb",
                        ONLY_ON_PLATFORMSH,
                        T0.plus(WAIT.multipliedBy(2)).plusSeconds(1))
                .scheduleIndexing());
    }

    @Test
    void otherRoutesAndOtherProjectsAreIndexedOfTheirOwn() {
        RecentIndexing r = new RecentIndexing(10);
        assertTrue(deliver(r, "mb", ONLY_ON_PLATFORMSH, T0).scheduleIndexing());
        assertTrue(deliver(r, "mb", BranchRoute.of("psh-only", "psh-only-abc123"), T0)
                .scheduleIndexing());
        assertTrue(deliver(r, "mb2", ONLY_ON_PLATFORMSH, T0).scheduleIndexing(), "a prefix is not the project");
        assertTrue(deliver(r, "folder/mb", ONLY_ON_PLATFORMSH, T0).scheduleIndexing());
        assertFalse(deliver(r, "mb", BranchRoute.of("psh-only", null), T0).scheduleIndexing(), "an equal route");
    }

    @Test
    void aBranchJobThatAppearsForgetsItsRoutesSoThatItIsIndexedAgainIfItGoes() {
        RecentIndexing r = new RecentIndexing(10);
        BranchRoute pr = BranchRoute.of("pr-7", null);
        r.begin("mb", ONLY_ON_PLATFORMSH, T0, WAIT);
        r.begin("mb", pr, T0, WAIT);
        r.appeared("other", new BranchJob("psh-only", "psh-only", null, State.BUILDABLE));
        r.appeared("mb", new BranchJob("PR-7", "PR-7", "7", State.BUILDABLE));
        assertEquals(1, r.size());
        assertNull(r.begin("mb", pr, T0.plusSeconds(1), WAIT), "the change request's job appeared");
        assertNotNull(r.begin("mb", ONLY_ON_PLATFORMSH, T0.plusSeconds(1), WAIT));
    }

    @Test
    void anIndexingThatCouldNotBeScheduledIsForgotten() {
        RecentIndexing r = new RecentIndexing(10);
        r.begin("mb", ONLY_ON_PLATFORMSH, T0, WAIT);
        r.forget("mb", ONLY_ON_PLATFORMSH);
        assertTrue(deliver(r, "mb", ONLY_ON_PLATFORMSH, T0.plusSeconds(1)).scheduleIndexing());
    }

    @Test
    void joiningDeliveriesDoNotExtendIt() {
        RecentIndexing r = new RecentIndexing(10);
        RecentIndexing.Seen first = null;
        for (int s = 0; s < 600; s += 10) {
            RecentIndexing.Seen seen = r.begin("mb", ONLY_ON_PLATFORMSH, T0.plusSeconds(s), WAIT);
            if (s == 0) {
                assertNull(seen);
                first = r.begin("mb", ONLY_ON_PLATFORMSH, T0, WAIT);
            } else {
                assertSame(first, seen);
            }
        }
        assertEquals(T0.plus(WAIT.multipliedBy(2)), first.until());
    }

    @Test
    void renamesFollowDeletionsForgetAndTheMemoryIsBounded() {
        RecentIndexing r = new RecentIndexing(2);
        r.begin("team/mb", ONLY_ON_PLATFORMSH, T0, WAIT);
        r.begin("teammate/mb", ONLY_ON_PLATFORMSH, T0, WAIT);
        r.moved("team", "squad");
        assertNotNull(r.begin("squad/mb", ONLY_ON_PLATFORMSH, T0, WAIT));
        assertNotNull(r.begin("teammate/mb", ONLY_ON_PLATFORMSH, T0, WAIT), "a prefix is not the folder");
        r.deleted("squad");
        assertEquals(1, r.size());
        r.begin("a", ONLY_ON_PLATFORMSH, T0, WAIT);
        r.begin("b", ONLY_ON_PLATFORMSH, T0, WAIT);
        assertEquals(2, r.size());
        assertNull(r.begin("teammate/mb", ONLY_ON_PLATFORMSH, T0, WAIT), "the oldest went first");
    }
}
