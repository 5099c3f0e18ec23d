package io.jenkins.plugins.platformsh.delivery.bench;

import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.state.StateStore;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the journal costs a delivery (issue 22): {@link DeliveryService#decide} on the 14 KB push, as in
 * {@code DeliveryBench.ours}, without a state store ({@link #withoutJournal}) and with one whose journal receives the
 * de-duplication record before the answer ({@link #withJournal}: one {@code write} of about 80 bytes to a file on
 * {@code java.io.tmpdir}, no fsync). The ratio of the two, in the same run, is the cost. The writer's appends of log
 * entries are not on the request path and not measured here (see {@link StateSizes} for what they write).
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(3)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JournalBench {

    @State(Scope.Benchmark)
    public static class Plain {
        Bodies.Signed[] pool;
        DeliveryService service;
        Deduplicator dedupe;
        DeliveryLog log;
        DeliverySettings settings = DeliverySettings.defaults();
        List<VerificationKey> keys = List.of(VerificationKey.sharedKey("platformsh-shared-key", Bodies.SHARED_KEY, true));
        int next;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            // As in DeliveryBench: the memory holds fewer ids than the pool, so every delivery is decided as new.
            pool = Bodies.pool(Bodies.push(), 16);
            Activity a = ActivityParser.parse(pool[0].bytes());
            dedupe = new Deduplicator(8);
            log = new DeliveryLog();
            service = new DeliveryService(
                    DeliveryBench.triggers(a.project(), a.environment()), dedupe, log, Clock.systemUTC());
            wire();
            for (int i = 0; i < 32; i++) {
                Outcome o = decide(this);
                if (o.kind() != Outcome.Kind.ACCEPTED) {
                    throw new IllegalStateException("decide did not accept the body: " + o);
                }
            }
        }

        void wire() throws IOException {}
    }

    @State(Scope.Benchmark)
    public static class Journaled extends Plain {
        Path dir;
        StateStore store;
        ScheduledExecutorService writer;

        @Override
        void wire() throws IOException {
            dir = Files.createTempDirectory("journal-bench");
            writer = Executors.newSingleThreadScheduledExecutor();
            store = new StateStore(dir, dedupe, log, writer, 3600); // the writer's pass is run between iterations
            store.loadOnce();
        }

        /** The writer's pass between iterations: the log's appends, and a compaction when the journal is large. */
        @TearDown(Level.Iteration)
        public void write() {
            store.flush();
        }

        @TearDown(Level.Trial)
        public void remove() throws IOException {
            System.out.println("\n[bench] journal appended " + store.journalBytesAppended() + " bytes in all");
            writer.shutdownNow();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static Outcome decide(Plain d) {
        Bodies.Signed b = d.pool[d.next];
        d.next = (d.next + 1) % d.pool.length;
        DeliveryRequest request = DeliveryRequest.builder()
                .method("POST")
                .header("Content-Type", "application/json")
                .header(SignatureVerifier.SIGNATURE_HEADER, b.signature())
                .remoteAddress("198.51.100.7")
                .body(new ServletLikeInputStream(b.bytes()))
                .contentLength(b.bytes().length)
                .build();
        return d.service.decide(request, d.settings, d.keys);
    }

    @Benchmark
    public Outcome withoutJournal(Plain d) {
        return decide(d);
    }

    @Benchmark
    public Outcome withJournal(Journaled d) {
        return decide(d);
    }
}
