package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.wait.Release;
import io.jenkins.plugins.platformsh.delivery.wait.Wait;
import io.jenkins.plugins.platformsh.delivery.wait.WaitSpec;
import io.jenkins.plugins.platformsh.delivery.wait.Waits;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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

    /** The public push sample with its id changed and a {@code log} of {@code logChars} in front. */
    private static byte[] push(String id, int logChars) {
        String json = Fixtures.text("push-2022.json");
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
    void aBodyCountsAsItsReceivedLengthUntilSettledThenAsItsCopy() {
        index.put("elsewhere", TriggerSpec.builder().environments("staging").build());
        int logChars = 60_000;
        DeliverySettings settings = DeliverySettings.defaults().withReplayBytes(100_000);
        log.limitBodies(settings.replayBytes());

        Outcome first = send(push("a1", logChars), settings);
        assertTrue(log.get(first.deliveryId()).replayable());
        assertFalse(first.redactedBody().made(), "there was room for it at its received length");
        assertTrue(log.bodyChars() > logChars, "before it is made, the copy counts as the received body");

        log.settleBodies();
        long settled = log.bodyChars();
        assertEquals(log.get(first.deliveryId()).body().length(), settled, "counted at the copy's length");
        assertTrue(settled < logChars / 2, "the log is not in the copy");
    }

    @Test
    void aBodyWithNoRoomAtItsReceivedLengthIsMadeAtOnceAndPushesNothingOut() {
        index.put("elsewhere", TriggerSpec.builder().environments("staging").build());
        int logChars = 60_000;
        DeliverySettings settings = DeliverySettings.defaults().withReplayBytes(100_000);
        log.limitBodies(settings.replayBytes());

        Outcome first = send(push("a1", logChars), settings);
        Outcome second = send(push("a2", logChars), settings); // 2 x 63 KB would not fit; 63 KB + 3 KB does
        assertTrue(second.redactedBody().made(), "made now, to be fitted at its real length");
        assertTrue(log.get(first.deliveryId()).replayable(), "an overestimate pushed the first body out");
        assertTrue(log.get(second.deliveryId()).replayable());

        // Larger than the whole budget as received, well within it as a copy: still kept.
        log.settleBodies();
        log.limitBodies(50_000);
        Outcome third = send(push("a3", logChars), settings.withReplayBytes(50_000));
        assertTrue(log.get(third.deliveryId()).replayable(), "refused for its received length");
        assertEquals(3, log.bodiesKept());
    }

    @Test
    void aCopyMadeByTheBuildIsReweighedWhenSettled() {
        index.put("deploy", TriggerSpec.defaults());
        int logChars = 60_000;
        Outcome o = send(push("a1", logChars), DeliverySettings.defaults());
        assertTrue(log.bodyChars() > logChars);
        String forTheBuild = o.schedules().get(0).redactedPayload(); // the adapter queues the build
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
    void aCopyMadeAlreadyIsItsText() {
        RedactedCopy c = RedactedCopy.ofText("{\"a\":1}");
        assertTrue(c.made());
        assertEquals(7, c.weight());
        assertEquals("{\"a\":1}", c.get());
    }
}
