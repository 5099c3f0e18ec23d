package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.route.BranchJob;
import io.jenkins.plugins.platformsh.delivery.route.BranchJobs;
import io.jenkins.plugins.platformsh.delivery.route.BranchRoute;
import io.jenkins.plugins.platformsh.delivery.route.BranchRouter;
import io.jenkins.plugins.platformsh.delivery.route.RouteDecision;
import io.jenkins.plugins.platformsh.delivery.state.StateFormat;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import io.jenkins.plugins.platformsh.delivery.wait.Wait;
import io.jenkins.plugins.platformsh.delivery.wait.WaitSpec;
import io.jenkins.plugins.platformsh.delivery.wait.Waits;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, point 9: with unsigned deliveries accepted, anyone can send them. They are recorded within a budget of
 * their own (a few log entries, no replay body, nothing in the wait memory), never release a wait and never have a
 * multibranch project index its branches.
 */
class UnsignedBudgetTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final DeliverySettings UNSIGNED_OK =
            DeliverySettings.defaults().withAcceptUnsigned(true).withLogSize(20).withReplayBytes(64 * 1024);

    private DeliveryLog log;
    private Waits waits;
    private DeliveryService service;

    @BeforeEach
    void setUp() {
        TriggerIndex index = new TriggerIndex();
        index.put("builds-every-push", TriggerSpec.defaults());
        Clock clock = Clock.fixed(START, ZoneOffset.UTC);
        log = new DeliveryLog(UNSIGNED_OK.logSize());
        waits = new Waits(clock, 10, Waits.MEMORY_AGE);
        service = new DeliveryService(index, new Deduplicator(10_000), log, clock, waits);
    }

    /** A push of environment {@code env} with its own activity id, about 1 KB. */
    private static byte[] push(String id, String env) {
        String body = "{\"id\":\"" + id
                + "\",\"type\":\"environment.push\",\"project\":\"proj1\",\"state\":\"complete\","
                + "\"result\":\"success\",\"environments\":[\"" + env + "\"],\"parameters\":{\"environment\":\"" + env
                + "\",\"new_commit\":\"c0ffee\"},\"text\":\"" + "x".repeat(1000) + "\"}";
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private Outcome signed(String id, String env) {
        return service.decide(Fixtures.signed(push(id, env)), UNSIGNED_OK, Fixtures.globalKey());
    }

    private Outcome unsigned(String id, String env) {
        return service.decide(Fixtures.unsigned(push(id, env)), UNSIGNED_OK, Fixtures.globalKey());
    }

    @Test
    void anUnsignedFloodEvictsNoSignedEntryNorItsReplayBody() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(Outcome.Kind.ACCEPTED, signed("signed" + i, "main").kind());
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(
                    Outcome.Kind.ACCEPTED, unsigned("anon" + i, "invented-" + i).kind(), "unsigned is accepted");
        }
        List<DeliveryLog.Entry> entries = log.newestFirst();
        List<String> signedLeft = entries.stream()
                .filter(e -> !e.unsigned())
                .map(DeliveryLog.Entry::activityId)
                .toList();
        assertEquals(List.of("signed4", "signed3", "signed2", "signed1", "signed0"), signedLeft);
        for (DeliveryLog.Entry e : entries) {
            assertEquals(!e.unsigned(), e.replayable(), () -> e.activityId() + ": only signed deliveries keep a body");
        }
        long unsignedKept = entries.stream().filter(DeliveryLog.Entry::unsigned).count();
        assertEquals(Math.min(UNSIGNED_OK.logSize(), DeliveryLog.UNSIGNED_SAMPLE_SIZE), unsignedKept);
        assertEquals("anon999", entries.get(0).activityId(), "the newest unsigned ones are kept");
        assertEquals(1005L, log.counters().get("accepted"), "every one is counted");

        // The bound holds when the log is read back after a restart.
        DeliveryLog after = new DeliveryLog(UNSIGNED_OK.logSize());
        StateFormat.restoreLog(after, StateFormat.logToJson(log));
        assertEquals(entries.size(), after.newestFirst().size());
        assertEquals(5, after.newestFirst().stream().filter(e -> !e.unsigned()).count());
    }

    @Test
    void anUnsignedDeliveryCannotBeReplayed() {
        Outcome o = unsigned("anon", "main");
        assertEquals(Outcome.Kind.ACCEPTED, o.kind());
        assertFalse(log.get(o.deliveryId()).replayable());
        Outcome replay = service.replay(o.deliveryId(), UNSIGNED_OK, Fixtures.globalKey(), true, "admin");
        assertEquals(409, replay.status(), replay.body());
    }

    @Test
    void anUnsignedFloodDoesNotPushAVerifiedDeliveryOutOfTheWaitMemory() {
        signed("signed", "pr-1");
        for (int i = 0; i < 100; i++) {
            unsigned("anon" + i, "pr-1");
        }
        // A step that begins now, in a build that started before the signed delivery, still sees it.
        var released = waits.register(
                new Wait("w1", WaitSpec.builder("job").environments("pr-1").build(), START.minusSeconds(60), "job #1"));
        assertTrue(released.isPresent(), "the verified delivery is still remembered");
        assertEquals("signed", released.get().activity().id());
    }

    @Test
    void anUnsignedDeliveryNeverReleasesAWaitNowOrLater() {
        waits.register(
                new Wait("w1", WaitSpec.builder("job").environments("pr-2").build(), START.minusSeconds(60), "job"));
        Outcome o = unsigned("anon", "pr-2");
        assertTrue(o.releases().isEmpty());
        assertTrue(waits.isWaiting("w1"));
        assertTrue(
                waits.register(new Wait(
                                "w2",
                                WaitSpec.builder("job").environments("pr-2").build(),
                                START.minusSeconds(60),
                                "job #2"))
                        .isEmpty(),
                "nor does a step that begins after it");
    }

    /** A multibranch project without any branch job yet. */
    private static final BranchJobs NONE = new BranchJobs() {
        @Override
        public BranchJob byBranchName(String branchName) {
            return null;
        }

        @Override
        public List<BranchJob> byChangeRequest(String changeRequestId) {
            return List.of();
        }
    };

    @Test
    void anUnsignedDeliveryNeverRoutesToBranchIndexing() {
        BranchRoute route = BranchRoute.of("invented-env", null);
        RouteDecision anon = BranchRouter.route(route, NONE, Verification.unsigned());
        assertEquals(RouteDecision.Kind.SKIP, anon.kind());
        assertEquals(
                "no branch job for branch 'invented-env', and a delivery no key verified never schedules branch"
                        + " indexing",
                anon.reason());
        assertEquals(
                RouteDecision.Kind.SKIP, BranchRouter.route(route, NONE, null).kind(), "unknown counts as anon");
        assertEquals(
                RouteDecision.Kind.MISSING,
                BranchRouter.route(route, NONE, Verification.verified(Set.of("global-key"), true, "signature"))
                        .kind(),
                "a verified delivery still has the project index its branches");
    }

    @Test
    void anUnsignedDeliveryStillBuildsABranchJobThatExists() {
        BranchJobs main = new BranchJobs() {
            @Override
            public BranchJob byBranchName(String branchName) {
                return "main".equals(branchName)
                        ? new BranchJob("main", "main", null, BranchJob.State.BUILDABLE)
                        : null;
            }

            @Override
            public List<BranchJob> byChangeRequest(String changeRequestId) {
                return List.of();
            }
        };
        RouteDecision d = BranchRouter.route(BranchRoute.of("main", null), main, Verification.unsigned());
        assertEquals(RouteDecision.Kind.BUILD, d.kind());
        assertEquals(List.of("main"), d.jobs());
    }
}
