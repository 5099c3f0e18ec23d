package io.jenkins.plugins.platformsh.delivery.state;

import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One process's memory, for the tests of what survives it: a fresh de-duplication memory, log and store on a
 * directory, loaded as Jenkins does, with one job that every test delivery matches. A "crash" is dropping it.
 */
final class OneProcess {
    final Deduplicator dedupe = new Deduplicator();
    final DeliveryLog log = new DeliveryLog();
    final StateStore store;
    final DeliveryService service;

    OneProcess(Path dir, ScheduledExecutorService scheduler) {
        // A write delay no test reaches: only what a test flushes, and what the journal appends, is on disk.
        store = new StateStore(dir, dedupe, log, scheduler, 3600);
        TriggerIndex index = new TriggerIndex();
        index.put("job", TriggerSpec.defaults());
        service = new DeliveryService(index, dedupe, log, Clock.systemUTC());
        store.loadOnce();
    }

    /** Decides delivery {@code n} (its own activity id), verified by the global key. */
    Outcome decide(int n) throws Exception {
        return service.decide(Fixtures.signed(CrashTest.body(n)), DeliverySettings.defaults(), Fixtures.globalKey());
    }
}
