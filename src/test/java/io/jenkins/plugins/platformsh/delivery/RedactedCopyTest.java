package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.redact.RedactedCopy;
import io.jenkins.plugins.platformsh.delivery.state.StateFormat;
import io.jenkins.plugins.platformsh.delivery.wait.Release;
import io.jenkins.plugins.platformsh.delivery.wait.Wait;
import io.jenkins.plugins.platformsh.delivery.wait.WaitSpec;
import io.jenkins.plugins.platformsh.delivery.wait.Waits;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The redacted copy of a delivery is made when something asks for it (a queued build, a released wait, a replay,
 * the state writer), once, and never by the decision itself: it costs about twice the parse.
 */
class RedactedCopyTest {

    private final Clock clock = Clock.systemUTC();
    private final Waits waits = new Waits(clock);
    private final DeliveryLog log = new DeliveryLog(50);
    private final TriggerIndex index = new TriggerIndex();
    private final DeliveryService service = new DeliveryService(index, new Deduplicator(100), log, clock, waits);

    private Outcome send(byte[] body, DeliverySettings settings) {
        return service.decide(Fixtures.signed(body), settings, Fixtures.globalKey());
    }

    /**
     * The public push sample with its id changed, its times made today's (a wait does not count an activity that
     * ended long before its build started) and a {@code log} of {@code logChars} in front.
     */
    private static byte[] push(String id, int logChars) {
        String json = Fixtures.text("push-2022.json")
                .replaceAll("\"(\\w+_at)\"\\s*:\\s*\"[^\"]*\"", "\"$1\": \"" + java.time.Instant.now() + "\"");
        String withId = json.replaceFirst("\"id\"\\s*:\\s*\"[^\"]*\"", "\"id\": \"" + id + "\"");
        return ("{\"log\":\"" + "x".repeat(logChars) + "\"," + withId.substring(withId.indexOf('{') + 1))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theDecisionMakesNoCopyAndTheFirstAskerMakesTheOneEveryoneShares() {
        index.put("deploy", TriggerSpec.defaults());
        Outcome o = send(push("a1", 0), DeliverySettings.defaults());
        assertEquals(Outcome.Kind.ACCEPTED, o.kind(), o::toString);
        RedactedCopy copy = o.redactedBody();
        assertFalse(copy.made(), "decide redacted the body on the request path");
        assertTrue(log.get(o.deliveryId()).replayable(), "replay keeps it, still to be made");

        String forTheBuild = o.schedules().get(0).redactedPayload();
        assertTrue(copy.made());
        assertFalse(forTheBuild.contains("hunter2"), "the copy is redacted");
        assertSame(forTheBuild, log.get(o.deliveryId()).body(), "replay keeps the build's copy, not a second one");
    }

    @Test
    void anIgnoredDeliveryIsRedactedOnlyWhenTheStateWriterSettlesIt() {
        index.put("elsewhere", TriggerSpec.builder().environments("staging").build());
        Outcome o = send(push("a1", 0), DeliverySettings.defaults());
        assertEquals(Outcome.Kind.IGNORED, o.kind(), o::toString);
        assertFalse(o.redactedBody().made());
        log.settleBodies();
        assertTrue(o.redactedBody().made());
        assertFalse(log.get(o.deliveryId()).body().contains("hunter2"));
    }

    @Test
    void aWaitRegisteredLaterMakesTheCopyOfTheRememberedDelivery() {
        Outcome o = send(push("a1", 0), DeliverySettings.defaults().withReplayBytes(0));
        assertFalse(o.redactedBody().made(), "remembered for later waits, not redacted yet");

        Optional<Release> r = waits.register(new Wait(
                "w1",
                WaitSpec.builder("job").environments("main").build(),
                clock.instant().minusSeconds(60),
                "j #1"));
        assertTrue(r.isPresent(), "the remembered delivery releases the wait");
        assertTrue(o.redactedBody().made());
        assertTrue(r.get().view().containsKey("payload"));
        assertFalse(r.get().view().toString().contains("hunter2"), "the wait gets the redacted payload");
    }

    @Test
    void untilMadeACopyCountsAsTheBodyWithoutItsLogThenAtItsLength() throws Exception {
        int logChars = 60_000;
        byte[] body = push("a1", logChars);
        Activity parsed = ActivityParser.parse(body);
        RedactedCopy copy = RedactedCopy.of(body, parsed);
        long estimate = copy.weight();
        assertTrue(estimate <= body.length - (logChars + 2), "the body less its log (the sample's own log too)");
        long real = copy.get().length();
        assertEquals(real, copy.weight());
        assertTrue(Math.abs(real - estimate) < estimate / 20, () -> "estimate " + estimate + ", copy " + real);
        assertEquals(body.length, RedactedCopy.of(body).weight(), "without an activity: the whole body");
    }

    @Test
    void aLargeLogNeitherKeepsABodyOutOfTheBudgetNorPushesOthersOut() {
        index.put("elsewhere", TriggerSpec.builder().environments("staging").build());
        int logChars = 60_000;
        DeliverySettings settings = DeliverySettings.defaults().withReplayBytes(50_000);
        log.limitBodies(settings.replayBytes());

        List<Outcome> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(send(push("a" + i, logChars), settings)); // each 63 KB as received, over the whole budget
        }
        for (Outcome o : sent) {
            assertTrue(log.get(o.deliveryId()).replayable(), "kept for replay");
            assertFalse(o.redactedBody().made(), "and not made on the request path");
        }
        assertTrue(log.bodyChars() < 3 * 4_000, () -> "counted as " + log.bodyChars());
        log.settleBodies();
        long copies = 0;
        for (Outcome o : sent) {
            copies += log.get(o.deliveryId()).body().length();
        }
        assertEquals(copies, log.bodyChars(), "counted at the copies' lengths once made");
    }

    @Test
    void aCopyMadeByTheBuildIsReweighedWhenSettled() {
        index.put("deploy", TriggerSpec.defaults());
        int logChars = 60_000;
        Outcome o = send(push("a1", logChars), DeliverySettings.defaults());
        String forTheBuild = o.schedules().get(0).redactedPayload(); // the adapter queues the build
        org.junit.jupiter.api.Assertions.assertNotEquals(
                forTheBuild.length(), log.bodyChars(), "still counted at its estimate");
        log.settleBodies();
        assertEquals(forTheBuild.length(), log.bodyChars());
    }

    @Test
    void theWaitMemorysCopyIsMadeByTheWriterWhenReplayIsOff() {
        Outcome o = send(push("a1", 0), DeliverySettings.defaults().withReplayBytes(0));
        assertFalse(log.get(o.deliveryId()).replayable());
        assertFalse(o.redactedBody().made());
        log.settleBodies(); // what the state writer does within 5 s
        assertTrue(o.redactedBody().made(), "the body stayed in memory as received");
    }

    @Test
    void whatTheWriterWritesHoldsNoSecretWhetherOrNotItWasSettledBefore() {
        index.put("elsewhere", TriggerSpec.builder().environments("staging").build());
        send(push("a1", 0), DeliverySettings.defaults());
        log.settleBodies();
        Outcome later = send(push("a2", 0), DeliverySettings.defaults());
        assertFalse(later.redactedBody().made());
        String file = new String(StateFormat.logToJson(log), StandardCharsets.UTF_8);
        assertEquals(2, log.bodiesKept());
        assertTrue(file.contains("a2"));
        assertFalse(file.contains("hunter2"), "a raw body was written");
    }

    @Test
    void bodiesWaitingForTheirCopiesHoldAtMost16MiBAsReceived() {
        index.put("elsewhere", TriggerSpec.builder().environments("staging").build());
        int logChars = 3 * 1024 * 1024;
        List<Outcome> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sent.add(send(push("a" + i, logChars), DeliverySettings.defaults()));
        }
        for (int i = 0; i < 5; i++) {
            assertTrue(log.get(sent.get(i).deliveryId()).replayable(), "within 16 MiB as received");
        }
        assertFalse(log.get(sent.get(5).deliveryId()).replayable(), "a sixth 3 MiB body held for its copy");
        assertFalse(sent.get(5).redactedBody().made(), "and it was not made on the request path instead");

        log.settleBodies(); // the writer catches up: the bodies as received are let go
        Outcome after = send(push("a6", logChars), DeliverySettings.defaults());
        assertTrue(log.get(after.deliveryId()).replayable());
    }

    @Test
    void theWritersQueueIsBoundedAndForgetsTheOldestFirst() {
        List<RedactedCopy> queued = new ArrayList<>();
        for (int i = 0; i < DeliveryLog.MAX_COPIES_TO_MAKE + 5; i++) {
            RedactedCopy c = RedactedCopy.of(push("q" + i, 0));
            queued.add(c);
            log.settleLater(c);
        }
        log.settleBodies();
        for (int i = 0; i < 5; i++) {
            assertFalse(queued.get(i).made(), "over the bound, the oldest are left to their holders");
        }
        for (int i = 5; i < queued.size(); i++) {
            assertTrue(queued.get(i).made());
        }
        RedactedCopy again = RedactedCopy.of(push("later", 0));
        log.settleLater(again);
        log.settleBodies();
        assertTrue(again.made(), "the queue starts empty after a settle");
    }

    @Test
    void aCopyMadeAlreadyIsItsText() {
        RedactedCopy c = RedactedCopy.ofText("{\"a\":1}");
        assertTrue(c.made());
        assertEquals(7, c.weight());
        assertEquals("{\"a\":1}", c.get());
    }
}
