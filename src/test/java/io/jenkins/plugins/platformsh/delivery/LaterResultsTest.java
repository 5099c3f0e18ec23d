package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.delivery.state.StateFormat;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A multibranch project's result for a delivery comes in pieces: what queuing returned with the answer, and what
 * became of its branch job later ({@link DeliveryLog#note}). Replay reads them by status, and none is lost.
 */
class LaterResultsTest {

    private static final String INDEXING =
            "no branch job for main: branch indexing scheduled; its job will be built once when it appears";
    private static final String APPEARED = "branch job main (it appeared after branch indexing)";

    private final DeliverySettings settings = DeliverySettings.defaults();
    private TriggerIndex index;
    private DeliveryLog log;
    private DeliveryService service;

    @BeforeEach
    void setUp() {
        index = new TriggerIndex();
        log = new DeliveryLog(50);
        service = new DeliveryService(index, new Deduplicator(100), log, Clock.systemUTC());
        index.put("mb", TriggerSpec.defaults());
        index.put("plain", TriggerSpec.defaults());
    }

    private Outcome deliver() {
        return service.decide(Fixtures.signed(Fixtures.bytes("push-2022.json")), settings, Fixtures.globalKey());
    }

    private List<String> replayTargets(String id) {
        return service.replay(id, settings, Fixtures.globalKey(), false, "alice").schedules().stream()
                .map(Schedule::targetId)
                .toList();
    }

    @Test
    void aBranchJobQueuedWithItsDetailIsNotBuiltAgainByReplay() {
        Outcome first = deliver();
        service.afterScheduling(
                first,
                Map.of(
                        "mb", ScheduleResult.queued("branch job feature-x (branch 'feature-x')"),
                        "plain", ScheduleResult.queued()));
        assertEquals(List.of(), replayTargets(first.deliveryId()), "both were queued, one of them with words");
    }

    @Test
    void aBranchJobThatNeverAppearedIsBuiltByReplayWhateverItsWordsSay() {
        Outcome first = deliver();
        service.afterScheduling(first, Map.of("mb", ScheduleResult.queued(INDEXING), "plain", ScheduleResult.queued()));
        // Nasty: the skip reason itself starts with the word "queued".
        log.note(first.deliveryId(), "mb", ScheduleResult.skipped("queued: nothing appeared within 5 minutes"));
        assertEquals(List.of("mb"), replayTargets(first.deliveryId()));
    }

    @Test
    void aQueuedBranchJobStaysBuiltAfterARestart() throws Exception {
        Outcome first = deliver();
        service.afterScheduling(first, Map.of("mb", ScheduleResult.queued(INDEXING), "plain", ScheduleResult.queued()));
        log.note(first.deliveryId(), "mb", ScheduleResult.queued(APPEARED));
        DeliveryLog after = new DeliveryLog(50);
        StateFormat.restoreLog(after, StateFormat.logToJson(log));
        DeliveryService restarted = new DeliveryService(index, new Deduplicator(10), after, Clock.systemUTC());
        Outcome r = restarted.replay(first.deliveryId(), settings, Fixtures.globalKey(), false, "bob");
        assertEquals(List.of(), r.schedules(), "the stored words 'queued: ...' count as built");
    }

    @Test
    void aNoteIsAChangeTheStateStoreWrites() {
        Outcome first = deliver();
        service.afterScheduling(first, Map.of("mb", ScheduleResult.queued(INDEXING), "plain", ScheduleResult.queued()));
        long before = log.changes();
        log.note(first.deliveryId(), "mb", ScheduleResult.queued(APPEARED));
        assertTrue(log.changes() > before);
    }

    @Test
    void aNoteMadeBeforeTheAnswerIsRecordedIsKept() {
        Outcome first = deliver();
        // The branch job appeared while queuing still ran (an indexing that was already under way).
        log.note(first.deliveryId(), "mb", ScheduleResult.queued(APPEARED));
        service.afterScheduling(first, Map.of("mb", ScheduleResult.queued(INDEXING), "plain", ScheduleResult.queued()));
        DeliveryLog.Entry e = log.get(first.deliveryId());
        assertEquals(APPEARED, e.scheduling("mb").reason());
        assertEquals("", e.scheduling("plain").reason(), "the other results are recorded");
        assertEquals(Outcome.Kind.ACCEPTED, e.outcome());
        assertEquals(
                List.of("queued", "queued: " + APPEARED),
                e.targets().stream()
                        .map(MatchResult.TargetResult::reason)
                        .sorted()
                        .toList());
    }

    @Test
    void aLaterNoteStillReplacesTheFirstResult() {
        Outcome first = deliver();
        service.afterScheduling(first, Map.of("mb", ScheduleResult.queued(INDEXING), "plain", ScheduleResult.queued()));
        log.note(first.deliveryId(), "mb", ScheduleResult.skipped("no branch job appeared"));
        log.note(first.deliveryId(), "mb", ScheduleResult.queued(APPEARED));
        assertEquals(APPEARED, log.get(first.deliveryId()).scheduling("mb").reason());
    }
}
