package io.jenkins.plugins.platformsh.delivery.state;

import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import java.util.List;
import java.util.Map;

/** What the delivery log held at one moment: what a snapshot holds, and what the next journal records start from. */
record LogView(
        List<DeliveryLog.Entry> entries, List<DeliveryLog.Entry> refused, long sequence, Map<String, Long> counters) {

    static LogView of(DeliveryLog log) {
        synchronized (log) { // one consistent moment
            return new LogView(log.newestFirst(), log.refusedNewestFirst(), log.lastSequence(), log.counters());
        }
    }
}
