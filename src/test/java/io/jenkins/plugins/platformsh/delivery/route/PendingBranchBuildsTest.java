package io.jenkins.plugins.platformsh.delivery.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.route.BranchJob.State;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PendingBranchBuildsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    private static BranchJob job(String name, String cr) {
        return new BranchJob(name, name, cr, State.BUILDABLE);
    }

    @Test
    void claimedOnceByItsProjectAndBranchOnly() {
        PendingBranchBuilds<String> p = new PendingBranchBuilds<>(10);
        p.add("folder/mb", BranchRoute.of("feature-x", null), "d1", T0.plusSeconds(60));
        p.add("folder/mb", BranchRoute.of("pr-5", null), "d2", T0.plusSeconds(60));
        p.add("other", BranchRoute.of("feature-x", null), "d3", T0.plusSeconds(60));
        assertTrue(p.claim("folder/mb", job("feature-y", null), T0).isEmpty());
        assertTrue(p.claim("folder/mb2", job("feature-x", null), T0).isEmpty(), "a prefix is not the project");
        assertEquals(List.of("d1"), payloads(p.claim("folder/mb", job("feature-x", null), T0)));
        assertTrue(p.claim("folder/mb", job("feature-x", null), T0).isEmpty(), "built once");
        assertEquals(List.of("d2"), payloads(p.claim("folder/mb", job("PR-5", "5"), T0)));
        assertEquals(1, p.size());
    }

    @Test
    void expiredWaitsAreHandedToExpireNotToClaim() {
        PendingBranchBuilds<String> p = new PendingBranchBuilds<>(10);
        p.add("mb", BranchRoute.of("x", null), "late", T0.plusSeconds(1));
        assertTrue(p.claim("mb", job("x", null), T0.plusSeconds(2)).isEmpty());
        assertEquals(List.of("late"), payloads(p.expire(T0.plusSeconds(2))));
        assertTrue(p.expire(T0.plusSeconds(3)).isEmpty());
        p.add("mb", BranchRoute.of("x", null), "onTime", T0.plusSeconds(1));
        assertTrue(p.expire(T0.plusSeconds(1)).isEmpty(), "the deadline itself is still within the wait");
    }

    @Test
    void renamesFollowAndDeletesEnd() {
        PendingBranchBuilds<String> p = new PendingBranchBuilds<>(10);
        p.add("a/mb", BranchRoute.of("x", null), "d1", T0.plusSeconds(60));
        p.add("ab/mb", BranchRoute.of("x", null), "d2", T0.plusSeconds(60));
        p.moved("a", "renamed");
        assertTrue(p.claim("a/mb", job("x", null), T0).isEmpty());
        assertEquals(List.of("d1"), payloads(p.claim("renamed/mb", job("x", null), T0)));
        assertEquals(List.of("d2"), payloads(p.deleted("ab")));
        assertEquals(0, p.size());
    }

    @Test
    void boundedTheOldestEndEarly() {
        PendingBranchBuilds<String> p = new PendingBranchBuilds<>(2);
        assertTrue(p.add("mb", BranchRoute.of("a", null), "1", T0).isEmpty());
        assertTrue(p.add("mb", BranchRoute.of("b", null), "2", T0).isEmpty());
        assertEquals(List.of("1"), payloads(p.add("mb", BranchRoute.of("c", null), "3", T0)));
        assertEquals(2, p.size());
    }

    @Test
    void claimAndExpireRacingHandEachWaitOutOnce() throws Exception {
        for (int round = 0; round < 50; round++) {
            PendingBranchBuilds<Integer> p = new PendingBranchBuilds<>(1000);
            for (int i = 0; i < 200; i++) {
                p.add("mb", BranchRoute.of("b" + (i % 3), null), i, T0);
            }
            ConcurrentLinkedQueue<Integer> out = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < 4; t++) {
                int k = t;
                pool.submit(() -> {
                    go.await();
                    List<PendingBranchBuilds.Pending<Integer>> got =
                            k == 3 ? p.expire(T0.plusSeconds(1)) : p.claim("mb", job("b" + k, null), T0);
                    got.forEach(x -> out.add(x.payload()));
                    return null;
                });
            }
            go.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(200, out.size());
            assertEquals(200, out.stream().distinct().count());
        }
    }

    @Test
    void foldWindowIsTakenOnce() {
        FoldWindow<Long> w = new FoldWindow<>();
        w.open("mb/x", 42L, T0.plusSeconds(30));
        w.open("mb/y", 7L, T0.plusSeconds(1));
        assertTrue(w.isOpen("mb/x", T0));
        assertEquals(42L, w.take("mb/x", T0));
        assertNull(w.take("mb/x", T0), "one indexing request folds, not every later one");
        assertNull(w.take("mb/y", T0.plusSeconds(2)), "a window past its time is closed");
        assertNull(w.take("never", T0));
    }

    private static <T> List<T> payloads(List<PendingBranchBuilds.Pending<T>> list) {
        return list.stream().map(PendingBranchBuilds.Pending::payload).toList();
    }
}
