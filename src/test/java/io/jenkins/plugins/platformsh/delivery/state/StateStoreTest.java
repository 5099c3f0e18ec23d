package io.jenkins.plugins.platformsh.delivery.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.dedupe.DedupeKey;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the store reads and writes its files, and what it does with a file it cannot read. */
class StateStoreTest {

    /** Runs nothing by itself: the test decides when the scheduled write happens. */
    private static final class ManualScheduler extends ScheduledThreadPoolExecutor {
        final List<Runnable> scheduled = new ArrayList<>();

        ManualScheduler() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            scheduled.add(command);
            return new ScheduledFuture<Object>() {
                @Override
                public long getDelay(TimeUnit u) {
                    return 0;
                }

                @Override
                public int compareTo(Delayed o) {
                    return 0;
                }

                @Override
                public boolean cancel(boolean b) {
                    return false;
                }

                @Override
                public boolean isCancelled() {
                    return false;
                }

                @Override
                public boolean isDone() {
                    return false;
                }

                @Override
                public Object get() {
                    return null;
                }

                @Override
                public Object get(long t, TimeUnit u) {
                    return null;
                }
            };
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        void runAll() {
            List<Runnable> now = new ArrayList<>(scheduled);
            scheduled.clear();
            now.forEach(Runnable::run);
        }
    }

    @TempDir
    Path dir;

    private final ManualScheduler scheduler = new ManualScheduler();

    private StateStore store(Deduplicator d, DeliveryLog l) {
        return new StateStore(dir.resolve("platformsh-webhook"), d, l, scheduler, StateStore.DEFAULT_DELAY_SECONDS);
    }

    private static void deliver(Deduplicator d, DeliveryLog l, String fixture) {
        TriggerIndex index = new TriggerIndex();
        index.put("job", TriggerSpec.defaults());
        new DeliveryService(index, d, l, java.time.Clock.systemUTC())
                .decide(Fixtures.signed(Fixtures.bytes(fixture)), DeliverySettings.defaults(), Fixtures.globalKey());
    }

    @Test
    void manyChangesMakeOneDelayedWriteAndTheNextStartReadsIt() throws Exception {
        Deduplicator d = new Deduplicator(100);
        DeliveryLog l = new DeliveryLog(50);
        StateStore s = store(d, l);
        s.loadOnce();
        deliver(d, l, "push-2022.json");
        s.changed();
        deliver(d, l, "cron.json");
        s.changed();
        assertEquals(1, scheduler.scheduled.size(), "changes within the delay share one write");
        Path journal = s.directory().resolve(Journal.fileName(1));
        assertEquals(2, Files.readAllLines(journal).size(), "on the path: only what dedupe remembered, a line each");
        assertTrue(Files.readAllLines(journal).stream().allMatch(line -> line.startsWith("{\"r\":\"seen\"")));
        assertFalse(Files.exists(s.directory().resolve(StateStore.DELIVERIES_FILE)), "no snapshot on the path");
        scheduler.runAll();
        assertEquals(5, Files.readAllLines(journal).size(), "then the two entries and the counters, appended");
        assertFalse(Files.exists(s.directory().resolve(StateStore.DELIVERIES_FILE)), "far below the compaction size");
        s.changed();
        assertEquals(1, scheduler.scheduled.size(), "a change after a write asks for the next one");

        Deduplicator d2 = new Deduplicator(100);
        DeliveryLog l2 = new DeliveryLog(50);
        StateStore s2 = store(d2, l2);
        assertTrue(l2.newestFirst().isEmpty(), "nothing read before first use");
        s2.loadOnce();
        assertEquals(2, l2.newestFirst().size());
        assertEquals(StateFormatTest.contents(d), StateFormatTest.contents(d2));
    }

    @Test
    void flushWritesOnlyWhatChanged() throws Exception {
        Deduplicator d = new Deduplicator(100);
        DeliveryLog l = new DeliveryLog(50);
        StateStore s = store(d, l);
        s.loadOnce();
        s.flush();
        assertFalse(Files.exists(s.directory()), "nothing changed, nothing written");
        deliver(d, l, "push-2022.json");
        s.flush();
        Path journal = s.directory().resolve(Journal.fileName(1));
        byte[] first = Files.readAllBytes(journal);
        s.flush();
        assertArrayEquals(first, Files.readAllBytes(journal), "no change since the last write: nothing appended");
        l.countOnly(Outcome.probe(false));
        s.flush();
        List<String> lines = Files.readAllLines(journal);
        assertTrue(lines.get(lines.size() - 1).startsWith("{\"r\":\"counters\""), "only the counters appended");
        assertEquals(first.length + lines.get(lines.size() - 1).length() + 1, Files.size(journal));
        assertFalse(Files.exists(s.directory().resolve(StateStore.DELIVERIES_FILE)));
    }

    @Test
    void nothingIsWrittenBeforeTheFirstLoad() throws Exception {
        Path target = dir.resolve("platformsh-webhook");
        Files.createDirectories(target);
        byte[] stored = "{\"format\":1,\"keys\":[\"act1|complete|proj|global-key\"]}".getBytes(StandardCharsets.UTF_8);
        Files.write(target.resolve(StateStore.DEDUPE_FILE), stored);
        Deduplicator d = new Deduplicator(100);
        StateStore s = store(d, new DeliveryLog(50));
        DedupeKey fresh = DedupeKey.of("new", List.of("global-key"));
        d.firstTime(fresh);
        s.flush(); // a shutdown before any delivery used the store
        assertArrayEquals(stored, Files.readAllBytes(target.resolve(StateStore.DEDUPE_FILE)));
        s.loadOnce();
        assertEquals(2, d.size());
        assertEquals(fresh.entry(), d.oldestFirst().get(1).entry(), "what was seen since start is newest");
    }

    @Test
    void aCorruptFileIsSetAsideAndStartUpGoesOn() throws Exception {
        Path target = dir.resolve("platformsh-webhook");
        Files.createDirectories(target);
        Files.writeString(target.resolve(StateStore.DELIVERIES_FILE), "{\"format\":1,\"deliveries\":[{\"id\":\"d1\",");
        Files.write(target.resolve(StateStore.DEDUPE_FILE), new byte[] {(byte) 0xff, 0, 1, 2});
        Deduplicator d = new Deduplicator(100);
        DeliveryLog l = new DeliveryLog(50);
        StateStore s = store(d, l);
        s.loadOnce();
        assertEquals(0, d.size());
        assertTrue(l.newestFirst().isEmpty());
        assertTrue(Files.exists(target.resolve(StateStore.DELIVERIES_FILE + ".unreadable")), "kept for a look");
        deliver(d, l, "push-2022.json");
        s.flush();
        Deduplicator d2 = new Deduplicator(100);
        store(d2, new DeliveryLog(50)).loadOnce();
        assertEquals(1, d2.size(), "the next write replaced the corrupt file");
    }

    @Test
    void anUnwritableDirectoryIsLoggedNotThrown() throws Exception {
        Files.writeString(dir.resolve("platformsh-webhook"), "a file where the directory should be");
        Deduplicator d = new Deduplicator(100);
        DeliveryLog l = new DeliveryLog(50);
        StateStore s = store(d, l);
        s.loadOnce();
        deliver(d, l, "push-2022.json");
        s.flush(); // no exception
        s.changed();
        scheduler.runAll();
        assertEquals(1, d.size());
    }
}
