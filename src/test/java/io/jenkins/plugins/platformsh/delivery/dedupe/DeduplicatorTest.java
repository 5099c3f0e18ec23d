package io.jenkins.plugins.platformsh.delivery.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {

    private static DedupeKey key(String identity, String... shares) {
        return DedupeKey.of(identity, List.of(shares));
    }

    @Test
    void aDeliveryIsADuplicateWhenAnyKeyThatVerifiesItRemembersIt() {
        Deduplicator d = new Deduplicator(10);
        assertTrue(d.firstTime(key("x", "global")));
        assertFalse(d.firstTime(key("x", "global", "team\u0000job")), "one more key verifies it: still the same");
        assertFalse(d.firstTime(key("x", "team\u0000job")), "the second key remembers it too now");
        assertTrue(d.firstTime(key("x", "other")), "a key that never verified it does not know it");
    }

    @Test
    void aFloodThroughOneKeyEvictsOnlyItsOwnOldestEntries() {
        Deduplicator d = new Deduplicator(100);
        d.firstTime(key("b", "key-b"));
        for (int i = 0; i < 10_050; i++) {
            d.firstTime(key("flood" + i, "key-a"));
        }
        assertTrue(d.seen(key("b", "key-b")));
        assertFalse(d.seen(key("flood9949", "key-a")));
        assertTrue(d.seen(key("flood9950", "key-a")));
        assertEquals(101, d.size());
    }

    @Test
    void keysBeyondTheSharesShareTheLastOneAndNeverTouchTheOthers() {
        Deduplicator d = new Deduplicator(2, 3); // two shares of their own, and the others' share
        d.firstTime(key("a1", "a"));
        d.firstTime(key("b1", "b"));
        for (int i = 0; i < 5; i++) {
            d.firstTime(key("c" + i, "c"));
            d.firstTime(key("d" + i, "d"));
        }
        assertEquals(2, d.ownShares());
        assertTrue(d.seen(key("a1", "a")) && d.seen(key("b1", "b")));
        assertTrue(d.seen(key("c4", "c")) && d.seen(key("d4", "d")));
        assertFalse(d.seen(key("c3", "c")), "c and d share one bounded share");
        assertFalse(d.seen(key("c4", "d")), "but what c verified is not what d verified");
        assertTrue(d.size() <= d.capacity());
    }

    @Test
    void forgettingTheLastEntryOfAShareGivesItsPlaceToTheNextKey() {
        Deduplicator d = new Deduplicator(2, 2);
        d.firstTime(key("a1", "a"));
        d.forget(key("a1", "a"));
        assertEquals(0, d.ownShares());
        d.firstTime(key("b1", "b"));
        assertEquals(1, d.ownShares());
    }

    @Test
    void aRestartGivesTheSharesToTheKeysUsedMostRecently() {
        Deduplicator before = new Deduplicator(5, 100);
        before.firstTime(key("old", "stale-key"));
        before.firstTime(key("b1", "b"));
        before.firstTime(key("a1", "a"));
        Deduplicator after = new Deduplicator(5, 3);
        after.restore(before.oldestFirst());
        assertEquals(2, after.ownShares());
        assertTrue(after.seen(key("a1", "a")) && after.seen(key("b1", "b")) && after.seen(key("old", "stale-key")));
        after.firstTime(key("x", "new-key"));
        after.firstTime(key("y", "new-key"));
        after.firstTime(key("z", "new-key"));
        after.firstTime(key("w", "new-key"));
        after.firstTime(key("v", "new-key"));
        assertFalse(after.seen(key("old", "stale-key")), "the stale key was put with the others");
        assertTrue(after.seen(key("a1", "a")) && after.seen(key("b1", "b")));
    }

    @Test
    void whatAFileMustNotHoldIsSkipped() {
        Deduplicator d = new Deduplicator(5);
        String digest = key("x", "k").entry();
        d.restore(List.of(
                new Deduplicator.Remembered("k", "not a digest"),
                new Deduplicator.Remembered("", digest),
                new Deduplicator.Remembered("k".repeat(Deduplicator.MAX_SHARE_NAME + 1), digest),
                new Deduplicator.Remembered("a\nb", digest),
                new Deduplicator.Remembered("k", digest)));
        assertEquals(1, d.size());
        assertTrue(d.seen(key("x", "k")));
    }

    @Test
    void anOldKeyIsRememberedForEachKeyItNames() {
        List<Deduplicator.Remembered> r =
                Deduplicator.legacy(List.of("id|complete|proj|g,team\u0000job", "id2|complete|proj|", "no-bar"));
        assertEquals(
                List.of("g", "team\u0000job", DedupeKey.UNSIGNED),
                r.stream().map(Deduplicator.Remembered::share).toList());
    }

    @Test
    void anOldEntryIsFoundAndForgottenUntilNoneIsLeft() {
        Deduplicator d = new Deduplicator(2);
        d.restore(Deduplicator.legacy(List.of("id|complete|proj|g")));
        DedupeKey now = new DedupeKey(List.of("g"), DedupeKey.digest("today's identity"), "id|complete|proj");
        assertTrue(d.seen(now), "a delivery remembered before the result was part of the identity");
        d.forget(now);
        assertFalse(d.seen(now), "forgotten when its builds could not be queued");
        assertTrue(d.firstTime(now));
        assertFalse(d.firstTime(now));
    }

    private static String jobKey(int i) {
        return "job-key-" + i + "\u0000folder/job-" + i;
    }

    private static Deduplicator restarted(Deduplicator before) {
        Deduplicator after = new Deduplicator(before.shareCapacity(), before.maxShares());
        after.restore(before.oldestFirst());
        return after;
    }

    /** The reviewer's case: the global key after a rotation, while 15 jobs' keys hold the shares. */
    @Test
    void aGlobalKeyKeepsItsEntriesWhen15JobKeysHoldTheSharesAcrossARestart() {
        Deduplicator d = new Deduplicator(50);
        for (int i = 0; i < 15; i++) {
            d.firstTime(key("job-delivery", jobKey(i)));
        }
        assertTrue(d.firstTime(key("capture", "rotated-global-key")));
        d = restarted(d);
        for (int i = 0; i < d.shareCapacity(); i++) {
            d.firstTime(key("flood" + i, jobKey(15)));
        }
        assertFalse(d.firstTime(key("capture", "rotated-global-key")), "a replayed capture would build twice");
        for (int i = 0; i < 15; i++) {
            assertTrue(d.seen(key("job-delivery", jobKey(i))) || i == 0, "only the least recently used gave way");
        }
    }

    @Test
    void aGlobalKeyTakesTheShareOfTheLeastRecentlyUsedJobKeyWhileJenkinsRuns() {
        Deduplicator d = new Deduplicator(3, 3); // two shares of their own
        d.firstTime(key("a1", jobKey(1)));
        d.firstTime(key("b1", jobKey(2)));
        d.firstTime(key("a2", jobKey(1)));
        d.firstTime(key("g1", "global"));
        assertEquals(2, d.ownShares());
        assertTrue(d.seen(key("b1", jobKey(2))), "the job key's entries went to the others' share");
        for (int i = 0; i < 3; i++) {
            d.firstTime(key("flood" + i, jobKey(2)));
            d.firstTime(key("flood" + i, jobKey(3)));
        }
        assertTrue(d.seen(key("g1", "global")) && d.seen(key("a1", jobKey(1))) && d.seen(key("a2", jobKey(1))));
        assertFalse(d.seen(key("b1", jobKey(2))), "flooded in the others' share");
    }

    @Test
    void afterARestartAKeyInTheOthersShareUsedMostRecentlyWinsAShareBack() {
        Deduplicator d = new Deduplicator(3, 3); // two shares of their own
        d.firstTime(key("a1", jobKey(1)));
        d.firstTime(key("b1", jobKey(2)));
        d.firstTime(key("c1", jobKey(3))); // in the others' share, but the most recently used
        d.firstTime(key("b2", jobKey(2)));
        d = restarted(d);
        for (int i = 0; i < 3; i++) {
            d.firstTime(key("flood" + i, jobKey(4)));
        }
        assertTrue(d.seen(key("c1", jobKey(3))), "c was used after a: it has a share of its own now");
        assertTrue(d.seen(key("b1", jobKey(2))) && d.seen(key("b2", jobKey(2))));
        assertFalse(d.seen(key("a1", jobKey(1))), "a, the least recently used, went to the others' share");
    }

    @Test
    void afterARestartTheGlobalKeysGetTheSharesFirst() {
        Deduplicator d = new Deduplicator(3, 3);
        d.firstTime(key("g1", "global"));
        for (int i = 1; i <= 4; i++) {
            d.firstTime(key("j" + i, jobKey(i)));
        }
        d = restarted(d);
        for (int i = 0; i < 3; i++) {
            d.firstTime(key("flood" + i, jobKey(5)));
        }
        assertTrue(d.seen(key("g1", "global")), "the least recently used, but of the global configuration");
        assertTrue(d.seen(key("j4", jobKey(4))), "then the job key used most recently");
        assertFalse(d.seen(key("j3", jobKey(3))));
    }

    @Test
    void aKeyThatGetsAShareStillFindsWhatItRememberedInTheOthersShare() {
        Deduplicator d = new Deduplicator(5, 2); // one share of its own
        d.firstTime(key("a1", jobKey(1)));
        d.firstTime(key("b1", jobKey(2))); // in the others' share
        d.forget(key("a1", jobKey(1))); // the share is free again
        d.firstTime(key("b2", jobKey(2))); // b gets it
        assertEquals(1, d.ownShares());
        assertFalse(d.firstTime(key("b1", jobKey(2))), "still remembered, in the others' share");
    }
}
