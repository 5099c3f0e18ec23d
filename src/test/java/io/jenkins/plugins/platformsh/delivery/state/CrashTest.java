package io.jenkins.plugins.platformsh.delivery.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed at any moment (kill -9): nothing is flushed, no scheduled write ran. What was answered before
 * must be a duplicate after the restart, as measured on Jenkins (60 deliveries, kill -9 within 5 s of the last 10).
 */
class CrashTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    /** A real scheduler with a delay no test reaches: the scheduled write never runs before the "crash". */
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** One process's memory: a fresh dedupe, log and store on the same directory, loaded as Jenkins does. */
    private final class Process {
        final Deduplicator dedupe = new Deduplicator();
        final DeliveryLog log = new DeliveryLog();
        final StateStore store = new StateStore(dir, dedupe, log, scheduler, 3600);
        final DeliveryService service;

        Process() {
            TriggerIndex index = new TriggerIndex();
            index.put("job", TriggerSpec.defaults());
            service = new DeliveryService(index, dedupe, log, Clock.systemUTC());
            store.loadOnce();
        }

        Outcome deliver(int n) throws Exception {
            Outcome o = service.decide(Fixtures.signed(body(n)), DeliverySettings.defaults(), Fixtures.globalKey());
            store.changed();
            return o;
        }
    }

    static byte[] body(int n) throws Exception {
        ObjectNode body = (ObjectNode) MAPPER.readTree(Fixtures.bytes("push-2022.json"));
        body.put("id", "activity-" + n);
        return MAPPER.writeValueAsBytes(body);
    }

    @Test
    void everyDeliveryAnsweredBeforeAKillIsADuplicateAfterIt() throws Exception {
        Process before = new Process();
        for (int i = 0; i < 50; i++) {
            assertEquals(Outcome.Kind.ACCEPTED, before.deliver(i).kind());
        }
        before.store.flush(); // 50 written the usual way
        for (int i = 50; i < 60; i++) {
            Outcome o = before.deliver(i);
            assertEquals(Outcome.Kind.ACCEPTED, o.kind());
            before.service.afterScheduling(o, Map.of("job", ScheduleResult.queued(7)));
        }
        // kill -9: no flush, the scheduled write never ran.

        Process after = new Process();
        for (int i = 0; i < 60; i++) {
            assertEquals(Outcome.Kind.DUPLICATE, after.deliver(i).kind(), "delivery " + i + " built twice");
        }
    }

    @Test
    void theLogAnsweredBeforeAKillIsThereAfterItOnceItsWriterRan() throws Exception {
        Process before = new Process();
        for (int i = 0; i < 10; i++) {
            Outcome o = before.deliver(i);
            before.service.afterScheduling(o, Map.of("job", ScheduleResult.queued(7)));
        }
        before.store.flush(); // the writer's pass: appended, not rewritten
        for (int i = 10; i < 15; i++) {
            before.deliver(i);
        }
        before.store.flush();
        // kill -9

        Process after = new Process();
        assertEquals(15, after.log.newestFirst().size());
        DeliveryLog.Entry first = after.log.get("d1");
        assertNotNull(first);
        assertEquals(Outcome.Kind.ACCEPTED, first.outcome());
        assertEquals(15, after.log.lastSequence());
        assertEquals(15L, after.log.counters().get("accepted"));
    }
}
