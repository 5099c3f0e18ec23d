package io.jenkins.plugins.platformsh.delivery.state;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A steady flow of deliveries, each followed by the writer's pass: the bytes written per delivery stay proportional
 * to the delivery, not to the log. Bytes are counted from the files themselves (a file replaced by a move counts
 * whole, a file that grew counts its growth), so the count does not trust the store's own accounting.
 */
class WriteVolumeTest {

    private static final int JOBS = 40;

    @TempDir
    Path dir;

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** Bytes written per delivery once the log holds {@code logSize} entries, over {@code flow} more deliveries. */
    private long bytesPerDelivery(Path home, int logSize, int flow) throws Exception {
        Deduplicator dedupe = new Deduplicator();
        DeliveryLog log = new DeliveryLog(logSize);
        StateStore store = new StateStore(home, dedupe, log, scheduler, 3600);
        store.loadOnce();
        TriggerIndex index = new TriggerIndex();
        for (int i = 0; i < JOBS; i++) { // none wants it: every entry carries each job's reason
            index.put(
                    "folder/job-" + i,
                    TriggerSpec.builder().events("*").projects("other-" + i).build());
        }
        DeliveryService service = new DeliveryService(index, dedupe, log, Clock.systemUTC());
        DeliverySettings settings = DeliverySettings.defaults().withLogSize(logSize);
        int n = 0;
        for (; n < logSize; n++) {
            service.decide(Fixtures.signed(CrashTest.body(n)), settings, Fixtures.globalKey());
        }
        store.flush();
        Map<Path, Object[]> seen = look(home, Map.of());
        long written = 0;
        for (int i = 0; i < flow; i++, n++) {
            service.decide(Fixtures.signed(CrashTest.body(n)), settings, Fixtures.globalKey());
            store.flush();
            Map<Path, Object[]> now = look(home, seen);
            for (Map.Entry<Path, Object[]> f : now.entrySet()) {
                Object[] was = seen.get(f.getKey());
                long size = (long) f.getValue()[1];
                if (was == null || !was[0].equals(f.getValue()[0]) || (long) was[1] > size) {
                    written += size; // a new or replaced file: written whole
                } else {
                    written += size - (long) was[1]; // appended to
                }
            }
            seen = now;
        }
        return written / flow;
    }

    /** Each file's identity (inode) and size. */
    private static Map<Path, Object[]> look(Path home, Map<Path, Object[]> unused) throws IOException {
        Map<Path, Object[]> out = new HashMap<>();
        if (!Files.isDirectory(home)) {
            return out;
        }
        try (Stream<Path> files = Files.list(home)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                Object key = a.fileKey() != null ? a.fileKey() : a.creationTime();
                out.put(p.getFileName(), new Object[] {key, a.size()});
            }
        }
        return out;
    }

    @Test
    void aSteadyFlowWritesWhatChangedNotTheWholeLog() throws Exception {
        long small = bytesPerDelivery(dir.resolve("small"), 10, 100);
        long large = bytesPerDelivery(dir.resolve("large"), 400, 100);
        // Today's store rewrites deliveries.json whole: 20 times as many bytes per delivery with a log 20 times
        // larger. Written as it changes, a delivery costs about its own entry whatever the log holds.
        assertTrue(large <= 2 * small, "log of 400: " + large + " bytes per delivery; log of 10: " + small);
        assertTrue(small < 16 * 1024, small + " bytes per delivery");
        List.of(small, large).forEach(b -> assertTrue(b > 0));
    }
}
