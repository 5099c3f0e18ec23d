package io.jenkins.plugins.platformsh.delivery.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The journal read back: a cut last line, a corrupt file, a compaction cut short at each of its steps. */
class JournalTest {

    @TempDir
    Path dir;

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** A crash of the process at this point of a compaction: the store is abandoned there, nothing else runs. */
    private static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private OneProcess process() {
        return new OneProcess(dir, scheduler);
    }

    private static Outcome deliver(OneProcess p, int n) throws Exception {
        Outcome o = p.decide(n);
        if (o.kind() == Outcome.Kind.ACCEPTED) {
            o = p.service.afterScheduling(o, Map.of("job", ScheduleResult.queued(n)));
        }
        return o;
    }

    private Path journal(long generation) {
        return dir.resolve(Journal.fileName(generation));
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aLastLineCutByACrashIsIgnored() throws Exception {
        OneProcess before = process();
        for (int i = 0; i < 5; i++) {
            deliver(before, i);
        }
        before.store.flush();
        byte[] whole = Files.readAllBytes(journal(1));
        byte[] cut = "{\"r\":\"seen\",\"s\":[\"glo".getBytes(StandardCharsets.UTF_8);
        Files.write(journal(1), cut, StandardOpenOption.APPEND);

        OneProcess after = process();
        assertEquals(5, after.log.newestFirst().size());
        assertEquals(StateFormatTest.contents(before.dedupe), StateFormatTest.contents(after.dedupe));
        assertFalse(files().stream().anyMatch(f -> f.endsWith(".unreadable")), files().toString());
        assertEquals(Outcome.Kind.DUPLICATE, deliver(after, 4).kind());
        assertTrue(Files.exists(journal(2)), "the next appends go to a file of their own, not after the cut line");
        assertEquals(whole.length + cut.length, Files.size(journal(1)));
    }

    @Test
    void aPowerCutLosesOnlyTheTailOfTheJournal() throws Exception {
        OneProcess before = process();
        for (int i = 0; i < 5; i++) {
            deliver(before, i);
        }
        // The kernel had written all but the last 10 bytes when the power went: the last record is cut.
        byte[] whole = Files.readAllBytes(journal(1));
        Files.write(journal(1), Arrays.copyOf(whole, whole.length - 10));

        OneProcess after = process();
        for (int i = 0; i < 4; i++) {
            assertEquals(Outcome.Kind.DUPLICATE, deliver(after, i).kind(), "delivery " + i);
        }
        assertEquals(Outcome.Kind.ACCEPTED, deliver(after, 4).kind(), "the one whose record was cut is new again");
    }

    @Test
    void aCorruptJournalIsSetAsideKeepingWhatCameBeforeItsFirstBadLine() throws Exception {
        OneProcess before = process();
        for (int i = 0; i < 3; i++) {
            deliver(before, i);
        }
        Files.write(journal(1), "not json at all\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        Files.write(
                journal(1),
                new String(Files.readAllBytes(journal(1)), StandardCharsets.UTF_8)
                        .lines()
                        .findFirst()
                        .orElseThrow()
                        .concat("\n")
                        .getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);

        OneProcess after = process();
        assertTrue(Files.exists(dir.resolve(Journal.fileName(1) + ".unreadable")), files().toString());
        assertFalse(Files.exists(journal(1)));
        for (int i = 0; i < 3; i++) {
            assertEquals(Outcome.Kind.DUPLICATE, deliver(after, i).kind(), "delivery " + i);
        }
        after.store.flush(); // what was read of it is only in memory: the next write makes a snapshot of it
        assertTrue(Files.exists(dir.resolve(StateStore.DEDUPE_FILE)));
        OneProcess third = process();
        for (int i = 0; i < 3; i++) {
            assertEquals(Outcome.Kind.DUPLICATE, deliver(third, i).kind(), "delivery " + i);
        }
    }

    /** Each step of a compaction, and the process killed right after it. */
    @ParameterizedTest
    @ValueSource(strings = {"generation", StateStore.DEDUPE_FILE, StateStore.DELIVERIES_FILE, "dropped"})
    void aCompactionCutShortAtAnyStepLeavesEverythingOnceAndNothingTwice(String step) throws Exception {
        OneProcess before = process();
        for (int i = 0; i < 8; i++) {
            deliver(before, i);
        }
        before.store.flush(); // appended
        for (int i = 8; i < 12; i++) {
            deliver(before, i); // the last ones only in dedupe's records
        }
        before.store.compactAtNextWrite();
        before.store.afterEachStep(done -> {
            if (done.equals(step)) {
                throw new Killed();
            }
        });
        assertThrows(Killed.class, before.store::flush);
        for (int i = 12; i < 14; i++) {
            deliver(before, i); // answered after the compaction began, before the kill
        }

        OneProcess after = process();
        assertEquals(StateFormatTest.contents(before.dedupe), StateFormatTest.contents(after.dedupe));
        assertEquals(12, after.log.newestFirst().size(), "the entries the writer had seen, once each");
        assertEquals(12L, after.log.counters().get("accepted"), "counters not added twice");
        assertEquals(12, after.log.lastSequence());
        for (int i = 0; i < 14; i++) {
            assertEquals(Outcome.Kind.DUPLICATE, deliver(after, i).kind(), "delivery " + i);
        }
        // And the next compaction completes from there, leaving one journal generation.
        after.store.compactAtNextWrite();
        after.store.flush();
        assertEquals(
                List.of(StateStore.DEDUPE_FILE, StateStore.DELIVERIES_FILE),
                files(),
                "the next generation's file is made by its first append");
        OneProcess third = process();
        assertEquals(StateFormatTest.contents(after.dedupe), StateFormatTest.contents(third.dedupe));
        assertEquals(26, third.log.newestFirst().size(), "the duplicates are entries too");
        assertEquals(12L, third.log.counters().get("accepted"));
        assertEquals(14L, third.log.counters().get("duplicate"));
    }

    @Test
    void theJournalIsFoldedIntoSnapshotsOnceItOutgrowsThem() throws Exception {
        OneProcess p = process();
        p.store.compactAbove(20_000);
        for (int i = 0; i < 60; i++) {
            deliver(p, i);
            p.store.flush();
            Path j = journalNow();
            long snapshots = Journal.size(dir.resolve(StateStore.DEDUPE_FILE))
                    + Journal.size(dir.resolve(StateStore.DELIVERIES_FILE));
            long bound = Math.max(20_000, snapshots) + 8_000; // the bound, and at most one write's records past it
            assertTrue(j == null || Files.size(j) <= bound, j + " is over its bound, " + bound);
        }
        assertTrue(Files.exists(dir.resolve(StateStore.DELIVERIES_FILE)));
        assertTrue(files().stream().filter(f -> f.startsWith(Journal.PREFIX)).count() <= 1, files().toString());
        OneProcess after = process();
        assertEquals(60, after.log.newestFirst().size());
        assertEquals(StateFormatTest.contents(p.dedupe), StateFormatTest.contents(after.dedupe));
    }

    private Path journalNow() throws Exception {
        return files().stream()
                .filter(f -> f.startsWith(Journal.PREFIX) && f.endsWith(Journal.SUFFIX))
                .map(dir::resolve)
                .reduce((a, b) -> b)
                .orElse(null);
    }

    @Test
    void restartsThatEachAppendALittleDoNotPileUpJournalFiles() throws Exception {
        for (int run = 0; run < 3 * StateStore.MAX_JOURNAL_FILES; run++) {
            OneProcess p = process(); // a start, one delivery, a kill
            assertEquals(Outcome.Kind.ACCEPTED, deliver(p, run).kind());
            p.store.flush();
            long journals =
                    files().stream().filter(f -> f.startsWith(Journal.PREFIX)).count();
            assertTrue(journals <= StateStore.MAX_JOURNAL_FILES, journals + " journal files after " + run + " starts");
        }
        OneProcess last = process();
        assertEquals(3 * StateStore.MAX_JOURNAL_FILES, last.log.newestFirst().size());
        assertEquals(Outcome.Kind.DUPLICATE, deliver(last, 0).kind());
    }

    @Test
    void aForgottenDeliveryIsNewAgainAfterACrash() throws Exception {
        OneProcess before = process();
        Outcome o = before.service.decide(
                Fixtures.signed(CrashTest.body(1)), DeliverySettings.defaults(), Fixtures.globalKey());
        Outcome failed = before.service.afterScheduling(o, Map.of("job", ScheduleResult.failed("queue full")));
        assertEquals(503, failed.status());

        OneProcess after = process();
        assertEquals(Outcome.Kind.ACCEPTED, deliver(after, 1).kind(), "a retry of what could not be queued builds");
    }

    @Test
    void aReplayBodyKeptAndThenDroppedIsSoAfterACrash() throws Exception {
        OneProcess before = process();
        deliver(before, 1);
        before.store.flush();
        assertTrue(before.log.get("d1").replayable());
        OneProcess middle = process();
        assertTrue(middle.log.get("d1").replayable(), "the body kept for replay is in the journal");

        middle.log.limitBodies(0);
        middle.store.flush();
        OneProcess after = process();
        assertFalse(after.log.get("d1").replayable(), "and so is its dropping");
    }
}
