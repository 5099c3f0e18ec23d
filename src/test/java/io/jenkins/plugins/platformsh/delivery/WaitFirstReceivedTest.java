package io.jenkins.plugins.platformsh.delivery;

import static io.jenkins.plugins.platformsh.delivery.WaitsTest.C1;
import static io.jenkins.plugins.platformsh.delivery.WaitsTest.C2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.delivery.wait.Wait;
import io.jenkins.plugins.platformsh.delivery.wait.WaitSpec;
import io.jenkins.plugins.platformsh.delivery.wait.Waits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An old delivery never releases a wait: only one first received after the build started, about a recent activity. */
class WaitFirstReceivedTest {

    private final WaitsTest.StepClock clock = new WaitsTest.StepClock();
    /** Survives a restart (the state store keeps it), unlike the wait memory. */
    private final Deduplicator dedupe = new Deduplicator(100);

    private final Waits waits = new Waits(clock);
    private final DeliveryService service =
            new DeliveryService(new TriggerIndex(), dedupe, new DeliveryLog(50), clock, waits);

    private static Outcome send(DeliveryService s, byte[] body) {
        return s.decide(Fixtures.signed(body), DeliverySettings.defaults(), Fixtures.globalKey());
    }

    private static byte[] push(String id, String env, String commit, String result) {
        return WaitsTest.activity(id, "environment.push", "proj1", env, "complete", result, commit, commit);
    }

    /** The same push, with the activity's own times. */
    private static byte[] pushWithTimes(String id, String env, String commit, Instant created, Instant completed) {
        String json = new String(push(id, env, commit, "success"), StandardCharsets.UTF_8)
                .replace(
                        "\"state\":",
                        "\"created_at\":\"" + created.atOffset(java.time.ZoneOffset.UTC) + "\",\"completed_at\":\""
                                + completed.atOffset(java.time.ZoneOffset.UTC) + "\",\"state\":");
        return Fixtures.utf8(json);
    }

    private Wait waitFrom(String id, Instant buildStart) {
        return new Wait(
                id, WaitSpec.builder("job").environments("pr-60").commit(C1).build(), buildStart, "job #1");
    }

    @Test
    void theSameBytesSentAgainWhileTheBuildWaitsDoNotReleaseIt() {
        for (String result : List.of("success", "failure")) {
            String id = "a-" + result;
            Outcome first = send(service, push(id, "pr-60", C1, result));
            assertEquals(Outcome.Kind.IGNORED, first.kind());
            clock.advance(Duration.ofMinutes(1));
            Wait w = waitFrom("w-" + result, clock.instant()); // the build starts after the delivery arrived
            assertEquals(Optional.empty(), waits.register(w), "received before the build started");

            Outcome again = send(service, push(id, "pr-60", C1, result));
            assertEquals(Outcome.Kind.DUPLICATE, again.kind(), again::body);
            assertTrue(again.releases().isEmpty(), "an old " + result + " neither ends nor fails the wait");
            assertTrue(waits.isWaiting(w.id()));
            assertTrue(
                    waits.explain(w).isEmpty(), () -> "a copy is not a delivery received since: " + waits.explain(w));
            waits.remove(w.id());
        }
    }

    @Test
    void aCopyOfADeliveryReceivedBeforeARestartIsStillADuplicate() {
        send(service, push("a1", "pr-60", C1, "success"));
        clock.advance(Duration.ofMinutes(1));
        // After a restart: the wait memory is empty, the de-duplication memory is restored, the build resumes.
        Waits afterRestart = new Waits(clock);
        DeliveryService restarted =
                new DeliveryService(new TriggerIndex(), dedupe, new DeliveryLog(50), clock, afterRestart);
        Wait w = waitFrom("w1", clock.instant());
        afterRestart.register(w);
        Outcome again = send(restarted, push("a1", "pr-60", C1, "success"));
        assertEquals(Outcome.Kind.DUPLICATE, again.kind());
        assertTrue(again.releases().isEmpty());
        assertTrue(afterRestart.isWaiting("w1"));
    }

    @Test
    void aDuplicateDoesNotReleaseAWaitEvenWhenTheFirstCopyLeftTheWaitMemory() {
        Waits noMemory = new Waits(clock, 0, Duration.ofMinutes(15));
        DeliveryService s = new DeliveryService(new TriggerIndex(), dedupe, new DeliveryLog(50), clock, noMemory);
        send(s, push("a1", "pr-60", C1, "success"));
        noMemory.register(waitFrom("w1", clock.instant()));
        Outcome again = send(s, push("a1", "pr-60", C1, "success"));
        assertEquals(Outcome.Kind.DUPLICATE, again.kind());
        assertTrue(again.releases().isEmpty());
        assertTrue(noMemory.isWaiting("w1"));
    }

    @Test
    void aRetryAfterA503QueuesTheBuildsButReleasesNoWaitThatBeganAfterTheFirstCopy() {
        TriggerIndex triggers = new TriggerIndex();
        triggers.put("job-a", TriggerSpec.builder().environments("pr-60").build());
        DeliveryService s = new DeliveryService(triggers, dedupe, new DeliveryLog(50), clock, waits);
        Outcome first = send(s, push("a1", "pr-60", C1, "success"));
        assertEquals(
                503,
                s.afterScheduling(first, Map.of("job-a", ScheduleResult.failed("queue refused")))
                        .status());
        clock.advance(Duration.ofMinutes(1));
        Wait w = waitFrom("w1", clock.instant());
        waits.register(w);

        Outcome retry = send(s, push("a1", "pr-60", C1, "success"));
        assertEquals(1, retry.schedules().size(), "the builds are queued again, as the 503 promised");
        assertTrue(retry.releases().isEmpty(), "but the delivery was first received before the build started");
        assertTrue(waits.isWaiting("w1"));
    }

    @Test
    void anActivityThatEndedLongBeforeTheBuildStartedDoesNotCountEvenWhenFirstReceivedAfter() {
        Instant buildStart = clock.instant();
        Wait w = waitFrom("w1", buildStart);
        waits.register(w);
        // Sent long after (the de-duplication memory had forgotten it, or never saw it).
        Instant old = buildStart.minus(Duration.ofHours(3));
        Outcome o = send(service, pushWithTimes("old", "pr-60", C1, old, old.plusSeconds(90)));
        assertTrue(o.releases().isEmpty());
        assertTrue(
                o.waits().reasons().get("w1").contains("more than 10 minutes before the build started"),
                o.waits().reasons()::toString);
        assertTrue(waits.explain(w).get(0).contains("an old activity sent again"), waits.explain(w)::toString);

        // Within the tolerance: a deployment that ended just before the build started, delivered just after.
        Instant justBefore = buildStart.minus(Duration.ofMinutes(4));
        Outcome recent = send(service, pushWithTimes("recent", "pr-60", C1, justBefore.minusSeconds(60), justBefore));
        assertEquals(1, recent.releases().size(), recent.waits().reasons()::toString);
    }

    @Test
    void aRememberedOldActivityDoesNotReleaseAWaitRegisteringLater() {
        Instant buildStart = clock.instant();
        Instant old = buildStart.minus(Duration.ofDays(2));
        send(service, pushWithTimes("old", "pr-60", C1, old, old));
        Wait any = new Wait("w1", WaitSpec.builder("job").environments("pr-60").build(), buildStart, "job #1");
        assertTrue(waits.register(any).isEmpty(), "received since the build started, but about an old activity");
        Outcome fresh = send(service, pushWithTimes("new", "pr-60", C2, buildStart, buildStart.plusSeconds(30)));
        assertEquals("new", fresh.releases().get(0).view().get("id"));
        assertFalse(waits.isWaiting("w1"));
    }
}
