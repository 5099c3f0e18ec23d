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
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.delivery.schedule.Variables;
import io.jenkins.plugins.platformsh.delivery.state.StateFormat;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An administrator replays a recorded delivery against the triggers as they are now. */
class ReplayTest {

    private final DeliverySettings settings = DeliverySettings.defaults();
    private TriggerIndex index;
    private Deduplicator dedupe;
    private DeliveryLog log;
    private DeliveryService service;

    @BeforeEach
    void setUp() {
        index = new TriggerIndex();
        dedupe = new Deduplicator(100);
        log = new DeliveryLog(50);
        service = new DeliveryService(index, dedupe, log, Clock.systemUTC());
    }

    private Outcome deliver(byte[] body) {
        return service.decide(Fixtures.signed(body), settings, Fixtures.globalKey());
    }

    private Outcome replay(String id, boolean buildAgain) {
        return service.replay(id, settings, Fixtures.globalKey(), buildAgain, "alice");
    }

    private static List<String> targets(Outcome o) {
        return o.schedules().stream().map(Schedule::targetId).toList();
    }

    @Test
    void anIgnoredDeliveryBuildsOnceTheFilterIsFixedAndTheReplayIsItsOwnEntry() {
        index.put("deploy", TriggerSpec.builder().environments("staging").build());
        Outcome first = deliver(Fixtures.bytes("push-2022.json"));
        assertEquals(Outcome.Kind.IGNORED, first.kind());
        assertTrue(log.get(first.deliveryId()).replayable(), "a verified new delivery keeps its body");

        index.put("deploy", TriggerSpec.builder().environments("main").build()); // the administrator fixes the filter
        Outcome replayed = replay(first.deliveryId(), false);
        assertEquals(Outcome.Kind.ACCEPTED, replayed.kind());
        assertEquals(List.of("deploy"), targets(replayed));
        Schedule s = replayed.schedules().get(0);
        assertEquals("Replayed by alice: Platform.sh environment.push on main by Jane Doe", s.causeText());
        assertEquals("main", s.variables().get(Variables.ENVIRONMENT));
        assertFalse(s.redactedPayload().contains("hunter2"), "the kept body is the redacted one");

        DeliveryLog.Entry entry = log.get(replayed.deliveryId());
        assertEquals(first.deliveryId(), entry.replayOf());
        assertEquals("alice", entry.replayedBy());
        assertFalse(entry.replayable(), "a replay keeps no second copy of the body");
        assertEquals(Outcome.Kind.IGNORED, log.get(first.deliveryId()).outcome(), "the original entry is unchanged");
        assertEquals(
                Outcome.Kind.DUPLICATE,
                deliver(Fixtures.bytes("push-2022.json")).kind(),
                "the sender's retry is still a duplicate");
    }

    @Test
    void aKeyNoLongerValidForTheDeliverysProjectCannotReplayIt() {
        index.put("deploy", TriggerSpec.builder().environments("staging").build());
        List<VerificationKey> scoped =
                List.of(VerificationKey.sharedKey("shop", Fixtures.KEY, true).forProjects("proj2022abcdefg"));
        Outcome first = service.decide(Fixtures.signed(Fixtures.bytes("push-2022.json")), settings, scoped);
        assertEquals(Outcome.Kind.IGNORED, first.kind(), first::toString);
        index.put("deploy", TriggerSpec.builder().environments("main").build());

        // The administrator narrowed the key to another project since: the replay is refused, as a delivery would be.
        List<VerificationKey> narrowed =
                List.of(VerificationKey.sharedKey("shop", Fixtures.KEY, true).forProjects("another-project"));
        Outcome refused = service.replay(first.deliveryId(), settings, narrowed, false, "alice");
        assertEquals(409, refused.status(), refused::toString);
        assertTrue(refused.schedules().isEmpty());
        assertEquals(
                Outcome.Kind.ACCEPTED,
                service.replay(first.deliveryId(), settings, scoped, false, "alice")
                        .kind());
    }

    @Test
    void byDefaultWhatWasBuiltIsNotBuiltAgainUnlessAsked() {
        index.put("a", TriggerSpec.defaults());
        Outcome first = deliver(Fixtures.bytes("push-2022.json"));
        service.afterScheduling(first, Map.of("a", ScheduleResult.queued()));
        index.put("b", TriggerSpec.defaults()); // a job added since

        Outcome replayed = replay(first.deliveryId(), false);
        assertEquals(List.of("b"), targets(replayed), "only the job that did not build");
        service.afterScheduling(replayed, Map.of("b", ScheduleResult.queued()));

        Outcome again = replay(first.deliveryId(), false);
        assertEquals(Outcome.Kind.IGNORED, again.kind(), "b was built by the earlier replay");
        assertTrue(again.body().contains("already built"), again.body());

        Outcome forced = replay(first.deliveryId(), true);
        assertEquals(List.of("a", "b"), targets(forced));
        assertEquals(
                Map.of("accepted", 1L, DeliveryLog.REPLAYED, 3L),
                log.counters(),
                "replays are counted apart from what the sender delivered");
    }

    @Test
    void aRejectedDeliveryCanNeverBeReplayed() {
        index.put("a", TriggerSpec.defaults());
        byte[] body = Fixtures.bytes("push-2022.json");
        Outcome forged =
                service.decide(Fixtures.signed(body, "d3JvbmctbG9uZy1lbm91Z2gta2V5"), settings, Fixtures.globalKey());
        assertEquals(403, forged.status());
        Outcome unsigned = service.decide(Fixtures.unsigned(body), settings, Fixtures.globalKey());
        assertEquals(401, unsigned.status());
        for (Outcome o : List.of(forged, unsigned)) {
            Outcome r = replay(o.deliveryId(), true);
            assertEquals(409, r.status(), r.body());
            assertTrue(r.schedules().isEmpty());
        }
        Outcome wrongProject = service.decide(
                Fixtures.signed(body),
                settings,
                List.of(VerificationKey.sharedKey("scoped", Fixtures.KEY, true).forProjects("other")));
        assertEquals(403, wrongProject.status());
        assertEquals(409, replay(wrongProject.deliveryId(), true).status(), "verified, but not for its project");
        assertEquals(404, replay("d999", true).status());
        assertEquals(404, replay(null, true).status());
    }

    @Test
    void aDuplicateAndAReplayAreNotReplayedThemselves() {
        index.put("a", TriggerSpec.defaults());
        Outcome first = deliver(Fixtures.bytes("push-2022.json"));
        Outcome dup = deliver(Fixtures.bytes("push-2022.json"));
        assertEquals(409, replay(dup.deliveryId(), true).status());
        Outcome r = replay(first.deliveryId(), true);
        Outcome rr = replay(r.deliveryId(), true);
        assertEquals(409, rr.status());
        assertTrue(rr.body().contains(first.deliveryId()), rr.body());
    }

    @Test
    void aKeyRemovedSinceVerifiesNothing() {
        index.put("a", TriggerSpec.defaults());
        Outcome first = deliver(Fixtures.bytes("push-2022.json"));
        Outcome r = service.replay(
                first.deliveryId(),
                settings,
                List.of(VerificationKey.sharedKey("another-key", Fixtures.KEY, true)),
                true,
                "alice");
        assertEquals(409, r.status());
        assertTrue(r.body().contains("no longer configured"), r.body());
    }

    @Test
    void aFailedReplayDoesNotForgetTheOriginalAsSeen() {
        index.put("a", TriggerSpec.defaults());
        Outcome first = deliver(Fixtures.bytes("push-2022.json"));
        service.afterScheduling(first, Map.of("a", ScheduleResult.queued()));
        Outcome r = replay(first.deliveryId(), true);
        assertEquals(
                Outcome.Kind.FAILED,
                service.afterScheduling(r, Map.of("a", ScheduleResult.failed("x")))
                        .kind());
        assertEquals(null, log.counters().get("failed"), "a failed replay moves no delivery counter");
        assertEquals(
                Outcome.Kind.DUPLICATE,
                deliver(Fixtures.bytes("push-2022.json")).kind());
    }

    @Test
    void bodiesStayWithinTheirBudgetOldestDroppedFirst() {
        index.put("a", TriggerSpec.defaults());
        String text = Fixtures.text("cron.json");
        DeliverySettings small = settings.withReplayBytes(text.length() * 3L + 10);
        String[] ids = new String[6];
        for (int i = 0; i < ids.length; i++) {
            byte[] body =
                    text.replace("\"actcron0001\"", "\"actcron000" + i + "x\"").getBytes(StandardCharsets.UTF_8);
            ids[i] = service.decide(Fixtures.signed(body), small, Fixtures.globalKey())
                    .deliveryId();
        }
        assertTrue(log.bodyChars() <= small.replayBytes(), log.bodyChars() + " > " + small.replayBytes());
        assertTrue(log.get(ids[5]).replayable(), "the newest is kept");
        assertFalse(log.get(ids[0]).replayable(), "the oldest went first");
        assertEquals(6, log.newestFirst().size(), "entries stay; only their bodies go");

        log.limitBodies(0);
        assertEquals(0, log.bodyChars());
        assertEquals(0, log.bodiesKept());
        DeliverySettings none = settings.withReplayBytes(0);
        Outcome o = service.decide(Fixtures.signed(Fixtures.bytes("push-2022.json")), none, Fixtures.globalKey());
        assertFalse(log.get(o.deliveryId()).replayable(), "a budget of 0 keeps nothing");
        assertEquals(
                409,
                service.replay(o.deliveryId(), none, Fixtures.globalKey(), true, "alice")
                        .status());
    }

    @Test
    void aBodyLargerThanTheWholeBudgetIsNotKept() {
        index.put("a", TriggerSpec.defaults());
        DeliverySettings tiny = settings.withReplayBytes(100);
        Outcome o = service.decide(Fixtures.signed(Fixtures.bytes("push-2022.json")), tiny, Fixtures.globalKey());
        assertFalse(log.get(o.deliveryId()).replayable());
        assertEquals(0, log.bodyChars());
    }

    @Test
    void aKeptBodySurvivesARestartAndStillReplaysWithItsKeys() throws Exception {
        index.put("deploy", TriggerSpec.builder().environments("staging").build());
        Outcome first = deliver(Fixtures.bytes("push-2022.json"));
        DeliveryLog after = new DeliveryLog(50);
        StateFormat.restoreLog(after, StateFormat.logToJson(log));
        String file = new String(StateFormat.logToJson(log), StandardCharsets.UTF_8);
        assertFalse(file.contains("hunter2"), "only the redacted body is written");
        assertFalse(file.contains(Fixtures.KEY));
        assertTrue(after.get(first.deliveryId()).replayable());
        assertEquals(log.bodyChars(), after.bodyChars());

        TriggerIndex fixed = new TriggerIndex();
        fixed.put("deploy", TriggerSpec.builder().environments("main").build());
        DeliveryService restarted = new DeliveryService(fixed, new Deduplicator(10), after, Clock.systemUTC());
        Outcome r = restarted.replay(first.deliveryId(), settings, Fixtures.globalKey(), false, "bob");
        assertEquals(List.of("deploy"), targets(r));
    }

    @Test
    void aForgedKeptSectionInTheFileCannotMakeARejectedEntryReplayable() throws Exception {
        String json =
                """
                {"format":1,"deliveries":[
                  {"id":"d1","outcome":"REJECTED","status":403,"kept":{"body":"{}","status":"VERIFIED","refs":["global-key"]}},
                  {"id":"d2","outcome":"ACCEPTED","status":200,"kept":{"body":"{}","status":"INVALID","refs":["global-key"]}}]}
                """;
        DeliveryLog l = new DeliveryLog(10);
        StateFormat.restoreLog(l, json.getBytes(StandardCharsets.UTF_8));
        assertFalse(l.get("d1").replayable());
        assertFalse(l.get("d2").replayable());
    }
}
