package io.jenkins.plugins.platformsh.delivery.bench;

import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.state.StateFormat;
import io.jenkins.plugins.platformsh.delivery.state.StateStore;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * State on disk for issue 22: 200 signed deliveries for an environment no job wants, against 1,000 and 10,000 jobs
 * each with a trigger for its own environment (the measurement on Jenkins), the writer's pass after each
 * delivery (a steady flow). Prints, per case: the bytes written in all and per delivery (journal and snapshots), what
 * is on disk at the end, and what today's store rewrote on each pass (the whole log). Counts bytes, not time.
 *
 * <p>Run: {@code java -cp .ci/target/benchmarks.jar io.jenkins.plugins.platformsh.delivery.bench.StateSizes}.
 */
public final class StateSizes {

    private StateSizes() {}

    public static void main(String[] args) throws Exception {
        Bodies.Signed[] pool = Bodies.pool(Bodies.push(), 200);
        Activity a = ActivityParser.parse(pool[0].bytes());
        System.out.printf(
                "%-8s | %-11s | %-13s | %-15s | %-14s | %-11s | %-20s%n",
                "triggers",
                "deliveries",
                "written",
                "per delivery",
                "on disk at end",
                "largest file",
                "today: one pass of the writer");
        for (int jobs : new int[] {1_000, 10_000}) {
            Path dir = Files.createTempDirectory("state-sizes");
            ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
            try {
                TriggerIndex index = new TriggerIndex();
                for (int i = 0; i < jobs; i++) {
                    index.put(
                            "folder-" + (i / 50) + "/job-" + i,
                            TriggerSpec.builder().projects(a.project()).environments("env-" + i).build());
                }
                Deduplicator dedupe = new Deduplicator();
                DeliveryLog log = new DeliveryLog();
                StateStore store = new StateStore(dir, dedupe, log, writer, 3600);
                store.loadOnce();
                DeliveryService service = new DeliveryService(index, dedupe, log, Clock.systemUTC());
                List<VerificationKey> keys =
                        List.of(VerificationKey.sharedKey("platformsh-shared-key", Bodies.SHARED_KEY, true));
                long todayInAll = 0;
                for (Bodies.Signed b : pool) {
                    service.decide(
                            DeliveryRequest.builder()
                                    .method("POST")
                                    .header("Content-Type", "application/json")
                                    .header(SignatureVerifier.SIGNATURE_HEADER, b.signature())
                                    .body(b.bytes())
                                    .build(),
                            DeliverySettings.defaults(),
                            keys);
                    store.flush();
                    // What today's writer would have written on the same pass: both files, whole.
                    todayInAll += StateFormat.logToJson(log).length + StateFormat.dedupeToJson(dedupe).length;
                }
                long onDisk = 0;
                long largest = 0;
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path p : (Iterable<Path>) files::iterator) {
                        onDisk += Files.size(p);
                        largest = Math.max(largest, Files.size(p));
                    }
                }
                long today = StateFormat.logToJson(log).length + StateFormat.dedupeToJson(dedupe).length;
                System.out.printf(
                        "%-8d | %-11d | %,13d | %,15d | %,14d | %,11d | %,20d%n",
                        jobs,
                        pool.length,
                        store.bytesWritten(),
                        store.bytesWritten() / pool.length,
                        onDisk,
                        largest,
                        today);
                System.out.printf(
                        "  today's store, the same passes: %,d bytes written in all (%.0fx); outcomes %s%n",
                        todayInAll, (double) todayInAll / store.bytesWritten(), log.counters());
            } finally {
                writer.shutdownNow();
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }
}
