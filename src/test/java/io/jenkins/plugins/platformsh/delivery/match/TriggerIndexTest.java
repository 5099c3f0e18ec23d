package io.jenkins.plugins.platformsh.delivery.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TriggerIndexTest {

    private static final Verification GLOBAL = Verification.verified(Set.of("g"), true, "signature");

    @Test
    void putReplacesRemoveForgetsAndCredentialsAreListed() throws Exception {
        TriggerIndex index = new TriggerIndex();
        index.put("a", TriggerSpec.defaults());
        index.put("b", TriggerSpec.builder().credentialsId("kb").build());
        index.put(
                "c",
                TriggerSpec.builder()
                        .credentialsId("kb")
                        .environments("staging")
                        .build());
        assertEquals(3, index.size());
        assertEquals(Set.of("kb"), index.credentialsIds());
        Activity push = Fixtures.parse("push-2022.json");
        assertEquals(List.of("a"), ids(index.match(push, GLOBAL)));

        index.put("a", TriggerSpec.builder().events("environment.cron").build());
        assertTrue(ids(index.match(push, GLOBAL)).isEmpty(), "replacing a job's trigger takes effect");
        index.remove("a");
        index.remove("does-not-exist");
        assertEquals(2, index.size());
        MatchResult r = index.match(push, GLOBAL);
        assertEquals(2, r.page(null, 0, MatchResult.MAX_PAGE).results().size());
        assertNotNull(r.resultFor("c"));
        assertEquals(
                "environment main is not one of [staging]", r.resultFor("c").reason());
        index.clear();
        assertEquals(0, index.size());
        assertTrue(index.match(push, GLOBAL)
                .page(null, 0, MatchResult.MAX_PAGE)
                .results()
                .isEmpty());
    }

    @Test
    void removeIfSameRemovesOnlyTheRegistrationADeliveryWasMatchedWith() throws Exception {
        TriggerIndex index = new TriggerIndex();
        Activity push = Fixtures.parse("push-2022.json");
        index.put("job", TriggerSpec.defaults());
        TriggerSpec looked = index.match(push, GLOBAL).matched().get(0).spec();

        // The job registers again (a rename, workflow-job re-adding its triggers) with an equal spec of its own.
        TriggerSpec live = TriggerSpec.defaults();
        assertEquals(looked, live);
        index.put("job", live);
        assertFalse(
                index.removeIfSame("job", looked), "an equal spec of a newer registration is not the one looked up");
        assertEquals(1, index.size());
        TriggerSpec matchedNow = index.match(push, GLOBAL).matched().get(0).spec();
        org.junit.jupiter.api.Assertions.assertSame(live, matchedNow, "deliveries now match the live registration");

        assertFalse(index.removeIfSame("other", matchedNow), "another target is left alone");
        assertTrue(index.removeIfSame("job", matchedNow));
        assertEquals(0, index.size());
        assertTrue(ids(index.match(push, GLOBAL)).isEmpty());
        assertFalse(index.removeIfSame("job", matchedNow), "already gone");
    }

    @Test
    void resultsListEveryJobInConfigurationOrderWithReasons() throws Exception {
        TriggerIndex index = new TriggerIndex();
        index.put("z-matches", TriggerSpec.defaults());
        index.put("a-other-project", TriggerSpec.builder().projects("elsewhere").build());
        index.put("m-cron", TriggerSpec.builder().events("environment.cron").build());
        MatchResult r = index.match(Fixtures.parse("push-2022.json"), GLOBAL);
        assertEquals(
                List.of(
                        new MatchResult.TargetResult("z-matches", true, "matched"),
                        new MatchResult.TargetResult(
                                "a-other-project", false, "project proj2022abcdefg is not one of [elsewhere]"),
                        new MatchResult.TargetResult(
                                "m-cron", false, "event environment.push is not one of [environment.cron]")),
                r.page(null, 0, MatchResult.MAX_PAGE).results());
        assertEquals(3, r.triggerCount());
    }

    @Test
    void aResultKeepsTheSnapshotItWasMatchedAgainst() throws Exception {
        TriggerIndex index = new TriggerIndex();
        index.put("a", TriggerSpec.defaults());
        MatchResult r = index.match(Fixtures.parse("push-2022.json"), GLOBAL);
        index.put("b", TriggerSpec.defaults());
        assertEquals(
                1, r.page(null, 0, MatchResult.MAX_PAGE).results().size(), "jobs saved later do not rewrite history");
    }

    @Test
    void concurrentUpdatesAndMatchesStayConsistent() throws Exception {
        TriggerIndex index = new TriggerIndex();
        Activity push = Fixtures.parse("push-2022.json");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 1000;
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 500; i++) {
                    index.put("job-" + (base + i), TriggerSpec.defaults());
                }
                return null;
            }));
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 500; i++) {
                    MatchResult r = index.match(push, GLOBAL);
                    assertEquals(r.matched().size(), r.triggerCount(), "every job matches this push");
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(2000, index.match(push, GLOBAL).matched().size());
    }

    static List<String> ids(MatchResult r) {
        return r.matched().stream().map(MatchResult.Match::targetId).toList();
    }
}
