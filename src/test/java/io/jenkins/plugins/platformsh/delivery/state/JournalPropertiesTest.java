package io.jenkins.plugins.platformsh.delivery.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.platformsh.delivery.dedupe.DedupeKey;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the de-duplication memory did (remember, remember again, forget, across keys of the global configuration
 * and jobs' keys, with more keys than shares), with compactions anywhere and a kill at the end: a new process answers
 * "duplicate" for exactly what the old one would have, and holds the same entries. Without a compaction the journal
 * alone is replayed, and the memory read back is the same to the order of its entries and the keys holding shares;
 * after one, which key holds a share of its own is decided anew from the snapshot, as at every restart
 * ({@link Deduplicator#restore}), so only what is remembered is compared.
 */
class JournalPropertiesTest {

    /** op: 0-5 remember identity {@code id} for key {@code key}; 6 forget it; 7 compact at the next write; 8 write. */
    record Op(int op, int id, int key) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        return Arbitraries.integers()
                .between(0, 8)
                .flatMap(op -> Arbitraries.integers()
                        .between(0, 12)
                        .flatMap(id -> Arbitraries.integers().between(0, 3).map(key -> new Op(op, id, key))))
                .list()
                .ofMaxSize(60);
    }

    /** Two keys of the global configuration, two jobs' keys (a job's key reference holds a NUL). */
    private static final List<String> KEYS = List.of("global-a", "global-b", "c\u0000job-c", "d\u0000job-d");

    @Property(tries = 200)
    void whatTheMemoryHeldIsWhatANewProcessReads(@ForAll("ops") List<Op> ops) throws Exception {
        Path dir = Files.createTempDirectory("journal-prop");
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        try {
            // Three shares for four keys: some are in the others' share, and a global key takes a job's share. No share
            // reaches its capacity, so nothing is forgotten for lack of room.
            Deduplicator before = new Deduplicator(100, 3);
            StateStore store = new StateStore(dir, before, new DeliveryLog(), scheduler, 3600);
            store.loadOnce();
            for (Op o : ops) {
                DedupeKey key = DedupeKey.of("activity " + o.id(), List.of(KEYS.get(o.key())));
                if (o.op() <= 5) {
                    before.firstTime(key);
                } else if (o.op() == 6) {
                    before.forget(key);
                } else if (o.op() == 7) {
                    store.compactAtNextWrite();
                } else {
                    store.flush();
                }
            }
            // kill -9: nothing more
            Deduplicator after = new Deduplicator(100, 3);
            new StateStore(dir, after, new DeliveryLog(), scheduler, 3600).loadOnce();
            if (ops.stream().noneMatch(o -> o.op() == 7)) {
                assertEquals(StateFormatTest.contents(before), StateFormatTest.contents(after), ops.toString());
            }
            assertEquals(
                    new java.util.TreeSet<>(StateFormatTest.contents(before)),
                    new java.util.TreeSet<>(StateFormatTest.contents(after)),
                    ops.toString());
            for (int id = 0; id <= 12; id++) {
                for (String k : KEYS) {
                    DedupeKey key = DedupeKey.of("activity " + id, List.of(k));
                    assertEquals(before.seen(key), after.seen(key), id + " " + k + " after " + ops);
                }
            }
        } finally {
            scheduler.shutdownNow();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
