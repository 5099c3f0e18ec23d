package io.jenkins.plugins.platformsh.delivery.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import java.nio.file.Path;
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
    private OneProcess process() {
        return new OneProcess(dir, scheduler);
    }

    private static Outcome deliver(OneProcess p, int n) throws Exception {
        Outcome o = p.decide(n);
        p.store.changed();
        return o;
    }

    static byte[] body(int n) throws Exception {
        ObjectNode body = (ObjectNode) MAPPER.readTree(Fixtures.bytes("push-2022.json"));
        body.put("id", "activity-" + n);
        return MAPPER.writeValueAsBytes(body);
    }

    @Test
    void everyDeliveryAnsweredBeforeAKillIsADuplicateAfterIt() throws Exception {
        OneProcess before = process();
        for (int i = 0; i < 50; i++) {
            assertEquals(Outcome.Kind.ACCEPTED, deliver(before, i).kind());
        }
        before.store.flush(); // 50 written the usual way
        for (int i = 50; i < 60; i++) {
            Outcome o = deliver(before, i);
            assertEquals(Outcome.Kind.ACCEPTED, o.kind());
            before.service.afterScheduling(o, Map.of("job", ScheduleResult.queued(7)));
        }
        // kill -9: no flush, the scheduled write never ran.

        OneProcess after = process();
        for (int i = 0; i < 60; i++) {
            assertEquals(Outcome.Kind.DUPLICATE, deliver(after, i).kind(), "delivery " + i + " built twice");
        }
    }

    @Test
    void theLogAnsweredBeforeAKillIsThereAfterItOnceItsWriterRan() throws Exception {
        OneProcess before = process();
        for (int i = 0; i < 10; i++) {
            Outcome o = deliver(before, i);
            before.service.afterScheduling(o, Map.of("job", ScheduleResult.queued(7)));
        }
        before.store.flush(); // the writer's pass: appended, not rewritten
        for (int i = 10; i < 15; i++) {
            deliver(before, i);
        }
        before.store.flush();
        // kill -9

        OneProcess after = process();
        assertEquals(15, after.log.newestFirst().size());
        DeliveryLog.Entry first = after.log.get("d1");
        assertNotNull(first);
        assertEquals(Outcome.Kind.ACCEPTED, first.outcome());
        assertEquals(15, after.log.lastSequence());
        assertEquals(15L, after.log.counters().get("accepted"));
    }
}
