package io.jenkins.plugins.platformsh.delivery.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A disk that takes the journal's small appends but refuses the snapshots, pass after pass. */
class FailedSnapshotTest {

    @TempDir
    Path dir;

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

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
            return service.decide(
                    Fixtures.signed(CrashTest.body(n)), DeliverySettings.defaults(), Fixtures.globalKey());
        }
    }

    @Test
    void aSnapshotThatKeepsFailingDoesNotLeaveAJournalFilePerPass() throws Exception {
        Process p = new Process();
        // The snapshot's temporary file cannot be made (a directory with a file in it stands in for a full disk).
        Path obstacle = dir.resolve(StateStore.DELIVERIES_FILE + ".tmp");
        Files.createDirectories(obstacle);
        Files.writeString(obstacle.resolve("x"), "x");
        p.store.compactAtNextWrite();
        for (int n = 0; n < 20; n++) {
            assertEquals(Outcome.Kind.ACCEPTED, p.deliver(n).kind());
            p.store.flush();
        }
        assertTrue(
                Journal.files(dir).size() <= 2,
                "journal files: " + Journal.files(dir).keySet());

        // Room again: the next pass writes the snapshots, and a restart knows every delivery.
        Files.delete(obstacle.resolve("x"));
        Files.delete(obstacle);
        p.store.compactAtNextWrite();
        p.deliver(20);
        p.store.flush();
        Process after = new Process();
        for (int n = 0; n <= 20; n++) {
            assertEquals(Outcome.Kind.DUPLICATE, after.deliver(n).kind(), "delivery " + n);
        }
    }
}
