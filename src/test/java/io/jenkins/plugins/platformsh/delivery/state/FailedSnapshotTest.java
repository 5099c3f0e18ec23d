package io.jenkins.plugins.platformsh.delivery.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private OneProcess process() {
        return new OneProcess(dir, scheduler);
    }

    @Test
    void aSnapshotThatKeepsFailingDoesNotLeaveAJournalFilePerPass() throws Exception {
        OneProcess p = process();
        // The snapshot's temporary file cannot be made (a directory with a file in it stands in for a full disk).
        Path obstacle = dir.resolve(StateStore.DELIVERIES_FILE + ".tmp");
        Files.createDirectories(obstacle);
        Files.writeString(obstacle.resolve("x"), "x");
        p.store.compactAtNextWrite();
        for (int n = 0; n < 20; n++) {
            assertEquals(Outcome.Kind.ACCEPTED, p.decide(n).kind());
            p.store.flush();
        }
        assertTrue(
                Journal.files(dir).size() <= 2,
                "journal files: " + Journal.files(dir).keySet());

        // Room again: the next pass writes the snapshots, and a restart knows every delivery.
        Files.delete(obstacle.resolve("x"));
        Files.delete(obstacle);
        p.store.compactAtNextWrite();
        p.decide(20);
        p.store.flush();
        OneProcess after = process();
        for (int n = 0; n <= 20; n++) {
            assertEquals(Outcome.Kind.DUPLICATE, after.decide(n).kind(), "delivery " + n);
        }
    }
}
