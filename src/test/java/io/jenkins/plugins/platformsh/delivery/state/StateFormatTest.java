package io.jenkins.plugins.platformsh.delivery.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.dedupe.DedupeKey;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The files that carry the de-duplication memory and the delivery log across a restart. */
class StateFormatTest {

    private static final DeliverySettings SETTINGS = DeliverySettings.defaults();

    private static DeliveryService service(Deduplicator dedupe, DeliveryLog log) {
        TriggerIndex index = new TriggerIndex();
        index.put(
                "folder/deploy-main", TriggerSpec.builder().environments("main").build());
        index.put("crons", TriggerSpec.builder().events("environment.cron").build());
        return new DeliveryService(
                index, dedupe, log, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void aDeliveryRemembersItIsADuplicateAfterTheRoundTrip() throws Exception {
        Deduplicator before = new Deduplicator(100);
        DeliveryService s = service(before, new DeliveryLog(50));
        byte[] body = Fixtures.bytes("push-2022.json");
        assertEquals(
                Outcome.Kind.ACCEPTED,
                s.decide(Fixtures.signed(body), SETTINGS, Fixtures.globalKey()).kind());

        Deduplicator after = new Deduplicator(100);
        assertEquals(1, StateFormat.restoreDedupe(after, StateFormat.dedupeToJson(before)));
        DeliveryService restarted = service(after, new DeliveryLog(50));
        assertEquals(
                Outcome.Kind.DUPLICATE,
                restarted
                        .decide(Fixtures.signed(body), SETTINGS, Fixtures.globalKey())
                        .kind());
    }

    /** Exactly what the version before shares wrote for these three deliveries (run on that code). */
    private static final String OLD_DEDUPE_FILE =
            """
            {"format":1,"keys":["act2022push01|complete|proj2022abcdefg|global-key",\
            "actcron0001|complete|proj2022abcdefg|team-key\\u0000folder/team-job",\
            "actmerge0001|complete|proj2022abcdefg|"]}""";

    @Test
    void aFileWrittenBeforeSharesIsReadIntoTheShares() throws Exception {
        String teamSecret = "dGVhbS1rZXktc2VjcmV0";
        List<VerificationKey> keys = new ArrayList<>(Fixtures.globalKey());
        keys.add(VerificationKey.sharedKey("team-key", teamSecret, false).forTarget("folder/team-job"));
        Deduplicator after = new Deduplicator(100);
        StateFormat.restoreDedupe(after, OLD_DEDUPE_FILE.getBytes(StandardCharsets.UTF_8));
        assertEquals(3, after.size());
        DeliveryService restarted = service(after, new DeliveryLog(50));
        assertEquals(
                Outcome.Kind.DUPLICATE,
                restarted
                        .decide(Fixtures.signed(Fixtures.bytes("push-2022.json")), SETTINGS, Fixtures.globalKey())
                        .kind());
        assertEquals(
                Outcome.Kind.DUPLICATE,
                restarted
                        .decide(Fixtures.signed(Fixtures.bytes("cron.json"), teamSecret), SETTINGS, keys)
                        .kind());
        assertEquals(
                Outcome.Kind.DUPLICATE,
                restarted
                        .decide(
                                Fixtures.unsigned(Fixtures.bytes("merge.json")),
                                SETTINGS.withAcceptUnsigned(true),
                                keys)
                        .kind());
        assertEquals(
                Outcome.Kind.ACCEPTED,
                restarted
                        .decide(Fixtures.signed(Fixtures.bytes("merge.json")), SETTINGS, keys)
                        .kind(),
                "what came unsigned does not pre-empt the signed copy");

        // Written again in the new layout, and read back the same.
        Deduplicator again = new Deduplicator(100);
        StateFormat.restoreDedupe(again, StateFormat.dedupeToJson(after));
        // The same entries of the same keys in the same order; the sequence numbers of last use are renumbered.
        assertEquals(contents(after), contents(again));
        assertEquals(
                Outcome.Kind.DUPLICATE,
                service(again, new DeliveryLog(50))
                        .decide(Fixtures.signed(Fixtures.bytes("push-2022.json")), SETTINGS, Fixtures.globalKey())
                        .kind());
    }

    @Test
    void theLogExplainsADeliveryAfterTheRoundTripAndIdsGoOn() throws Exception {
        DeliveryLog before = new DeliveryLog(50);
        DeliveryService s = service(new Deduplicator(100), before);
        Outcome accepted = s.decide(Fixtures.signed(Fixtures.bytes("push-2022.json")), SETTINGS, Fixtures.globalKey());
        s.afterScheduling(accepted, Map.of("folder/deploy-main", ScheduleResult.queued()));
        s.decide(Fixtures.unsigned(Fixtures.bytes("push-2022.json")), SETTINGS, Fixtures.globalKey()); // refused 401

        DeliveryLog after = new DeliveryLog(50);
        assertEquals(2, StateFormat.restoreLog(after, StateFormat.logToJson(before)));
        DeliveryLog.Entry e = after.get(accepted.deliveryId());
        assertEquals(before.get(accepted.deliveryId()).activityId(), e.activityId());
        assertEquals("environment.push", e.type());
        assertEquals("main", e.environment());
        assertEquals("complete", e.state());
        assertEquals(Outcome.Kind.ACCEPTED, e.outcome());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), e.receivedAt());
        assertEquals(before.get(accepted.deliveryId()).targets(), e.targets());
        assertTrue(e.targets().contains(new MatchResult.TargetResult("folder/deploy-main", true, "queued")));
        assertEquals(1, after.refusedNewestFirst().size());
        assertEquals(before.counters(), after.counters());

        Outcome next = service(new Deduplicator(100), after)
                .decide(Fixtures.signed(Fixtures.bytes("cron.json")), SETTINGS, Fixtures.globalKey());
        assertFalse(
                List.of(
                                accepted.deliveryId(),
                                before.refusedNewestFirst().get(0).deliveryId())
                        .contains(next.deliveryId()),
                "a new id never reuses a restored one");
        assertEquals(
                next.deliveryId(), after.newestFirst().get(0).deliveryId(), "what came after the restart is newest");
    }

    @Test
    void noSecretOrSignatureIsWritten() {
        DeliveryLog log = new DeliveryLog(50);
        Deduplicator dedupe = new Deduplicator(100);
        DeliveryService s = service(dedupe, log);
        byte[] body = Fixtures.bytes("push-2022.json");
        DeliveryRequest signed = Fixtures.signed(body);
        s.decide(signed, SETTINGS, Fixtures.globalKey());
        s.decide(Fixtures.signed(body, "d3JvbmctbG9uZy1lbm91Z2gta2V5"), SETTINGS, Fixtures.globalKey()); // 403
        String files = new String(StateFormat.logToJson(log), StandardCharsets.UTF_8)
                + new String(StateFormat.dedupeToJson(dedupe), StandardCharsets.UTF_8);
        assertFalse(files.contains(Fixtures.KEY), files);
        String signature = signed.header("X-JWS-Signature");
        assertFalse(files.contains(signature.substring(signature.lastIndexOf('.') + 1)), files);
        assertFalse(files.contains("hunter2"), "nothing of the body beyond the fields shown: " + files);
    }

    @Test
    void boundsHoldWhenTheFileIsLargerThanTheMemory() throws Exception {
        Deduplicator big = new Deduplicator(1000);
        for (int i = 0; i < 1000; i++) {
            big.firstTime(key("k" + i));
        }
        Deduplicator small = new Deduplicator(10);
        small.firstTime(key("live"));
        StateFormat.restoreDedupe(small, StateFormat.dedupeToJson(big));
        assertEquals(10, small.size());
        assertTrue(small.seen(key("live")), "what was seen since start is newer than anything restored");
        assertTrue(small.seen(key("k999")));
        assertFalse(small.seen(key("k990")), "only the newest restored keys fit");

        DeliveryLog many = new DeliveryLog(500);
        DeliveryService s = service(new Deduplicator(1000), many);
        DeliverySettings roomy = SETTINGS.withLogSize(500);
        for (int i = 0; i < 300; i++) {
            byte[] body = Fixtures.text("cron.json")
                    .replace("\"id\"", "\"x\": " + i + ", \"id\"")
                    .getBytes(StandardCharsets.UTF_8);
            s.decide(Fixtures.signed(body), roomy, Fixtures.globalKey());
        }
        DeliveryLog few = new DeliveryLog(20);
        StateFormat.restoreLog(few, StateFormat.logToJson(many));
        assertEquals(20, few.newestFirst().size());
        assertEquals(
                many.newestFirst().get(0).deliveryId(), few.newestFirst().get(0).deliveryId(), "the newest kept");
    }

    @Test
    void manyJobsAreStoredAsMatchedJobsAndASummary() throws Exception {
        TriggerIndex index = new TriggerIndex();
        for (int i = 0; i < 507; i++) {
            index.put(
                    "job" + i,
                    TriggerSpec.builder().environments("nothing-" + i).build());
        }
        index.put("zz-matching", TriggerSpec.defaults());
        DeliveryLog log = new DeliveryLog(10);
        DeliveryService s = new DeliveryService(index, new Deduplicator(10), log, Clock.systemUTC());
        s.decide(Fixtures.signed(Fixtures.bytes("push-2022.json")), SETTINGS, Fixtures.globalKey());
        DeliveryLog after = new DeliveryLog(10);
        StateFormat.restoreLog(after, StateFormat.logToJson(log));
        DeliveryLog.Entry e = after.newestFirst().get(0);
        assertEquals(508, e.jobCount());
        assertEquals(
                List.of("zz-matching"),
                e.matchedJobs().stream().map(MatchResult.TargetResult::targetId).toList());
        assertEquals(List.of(new MatchResult.ReasonCount("environment main is not theirs", 507)), e.summary());
        assertNull(e.resultFor("job3"), "a job the stored form does not keep is no longer known");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "{",
                "[]",
                "null",
                "\"text\"",
                "{\"format\":2,\"keys\":[]}",
                "{\"keys\":[\"a\"]}",
                "{\"format\":1}",
                "{\"format\":1,\"keys\":{}}",
                "{\"format\":1,\"deliveries\":5}",
                "\u0000\u0001garbage"
            })
    void anUnreadableFileIsRefusedWhole(String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Deduplicator d = new Deduplicator(10);
        d.firstTime(key("live"));
        List<Deduplicator.Remembered> live = d.oldestFirst();
        assertThrows(StateFormat.UnreadableStateException.class, () -> StateFormat.restoreDedupe(d, bytes));
        assertEquals(live, d.oldestFirst(), "nothing half-read");
        if (!content.contains("\"keys\":[]") && !content.equals("{\"format\":1}") && !content.contains("\"keys\":{}")) {
            DeliveryLog log = new DeliveryLog(10);
            assertThrows(StateFormat.UnreadableStateException.class, () -> StateFormat.restoreLog(log, bytes));
            assertTrue(log.newestFirst().isEmpty());
        }
    }

    @Test
    void aTruncatedFileIsRefusedAtEveryLength() throws Exception {
        DeliveryLog log = new DeliveryLog(50);
        Deduplicator dedupe = new Deduplicator(100);
        DeliveryService s = service(dedupe, log);
        s.decide(Fixtures.signed(Fixtures.bytes("push-2022.json")), SETTINGS, Fixtures.globalKey());
        s.decide(Fixtures.signed(Fixtures.bytes("cron.json")), SETTINGS, Fixtures.globalKey());
        byte[] full = StateFormat.logToJson(log);
        for (int len = 0; len < full.length; len += 7) {
            byte[] cut = Arrays.copyOf(full, len);
            DeliveryLog fresh = new DeliveryLog(50);
            assertThrows(
                    StateFormat.UnreadableStateException.class,
                    () -> StateFormat.restoreLog(fresh, cut),
                    "cut at " + len);
        }
    }

    @Test
    void oddEntriesAreSkippedAndTheRestIsRead() throws Exception {
        String json =
                """
                {"format":1,"sequence":"x","counters":{"accepted":3,"ignored":-4,"odd":"n"},
                 "deliveries":[7, {"id":"d9","outcome":"NO_SUCH"}, {"outcome":"ACCEPTED"},
                   {"id":"d12","outcome":"ignored","receivedAt":"yesterday","status":200,
                    "activity":{"id":{"nested":1},"type":"environment.push"},
                    "targets":[{"job":"a","matched":false,"reason":"<b>x</b>"},{"matched":true},5]}],
                 "refused":null}
                """;
        DeliveryLog log = new DeliveryLog(50);
        assertEquals(1, StateFormat.restoreLog(log, json.getBytes(StandardCharsets.UTF_8)));
        DeliveryLog.Entry e = log.get("d12");
        assertEquals(Outcome.Kind.IGNORED, e.outcome());
        assertEquals(null, e.receivedAt());
        assertEquals(null, e.activityId());
        assertEquals(List.of(new MatchResult.TargetResult("a", false, "<b>x</b>")), e.targets());
        assertEquals(Map.of("accepted", 3L), log.counters());
        DeliveryService s = service(new Deduplicator(10), log);
        Outcome next = s.decide(Fixtures.signed(Fixtures.bytes("cron.json")), SETTINGS, Fixtures.globalKey());
        assertEquals("d13", next.deliveryId(), "ids go on after the highest restored one");
    }

    @Test
    void aRestoredEntryStillTakesItsSchedulingResults() throws Exception {
        DeliveryLog before = new DeliveryLog(50);
        Deduplicator dedupe = new Deduplicator(100);
        DeliveryService s = service(dedupe, before);
        Outcome o = s.decide(Fixtures.signed(Fixtures.bytes("push-2022.json")), SETTINGS, Fixtures.globalKey());
        // The restart falls between the decision and its scheduling report (a shutdown mid-delivery).
        DeliveryLog after = new DeliveryLog(50);
        StateFormat.restoreLog(after, StateFormat.logToJson(before));
        new DeliveryService(new TriggerIndex(), dedupe, after, Clock.systemUTC()).afterScheduling(o, Map.of());
        assertEquals(Outcome.Kind.FAILED, after.get(o.deliveryId()).outcome());
        assertEquals(1L, after.counters().get("failed"));
    }

    @Test
    void dedupeChangesAreCountedSoAWriterKnowsWhenToWrite() throws Exception {
        Deduplicator d = new Deduplicator(10);
        long start = d.changes();
        d.seen(key("a"));
        assertEquals(start, d.changes(), "a look is no change");
        d.firstTime(key("a"));
        d.forget(key("missing"));
        assertEquals(start + 1, d.changes());
        Deduplicator other = new Deduplicator(10);
        other.firstTime(key("x"));
        other.firstTime(key("y"));
        d.restore(other.oldestFirst());
        assertEquals(
                List.of(key("x").entry(), key("y").entry(), key("a").entry()),
                d.oldestFirst().stream().map(Deduplicator.Remembered::entry).toList());
    }

    private static DedupeKey jobKey(String identity, int job) {
        return DedupeKey.of(identity, List.of("job-key-" + job + "\u0000folder/job-" + job));
    }

    @Test
    void whichKeyWasUsedLastSurvivesTheFile() throws Exception {
        Deduplicator before = new Deduplicator(3, 3); // two shares of their own
        before.firstTime(jobKey("a1", 1));
        before.firstTime(jobKey("b1", 2));
        before.firstTime(jobKey("c1", 3)); // in the others' share, written first, but the most recently used
        before.firstTime(jobKey("b2", 2));
        Deduplicator after = new Deduplicator(3, 3);
        StateFormat.restoreDedupe(after, StateFormat.dedupeToJson(before));
        for (int i = 0; i < 3; i++) {
            after.firstTime(jobKey("flood" + i, 4));
        }
        assertTrue(after.seen(jobKey("c1", 3)), "c has a share of its own after the restart");
        assertTrue(after.seen(jobKey("b1", 2)));
        assertFalse(after.seen(jobKey("a1", 1)), "a was used least recently");
    }

    /** The layout by key, as written before the last use was kept: keys ranked by where their newest entry is. */
    @Test
    void aFileWithoutLastUseIsRead() throws Exception {
        String file = "{\"format\":1,\"keys\":[],\"seen\":["
                + "{\"key\":\"a\",\"seen\":[\""
                + DedupeKey.of("a1", List.of("a")).entry() + "\"]},"
                + "{\"key\":\"b\",\"seen\":[\""
                + DedupeKey.of("b1", List.of("b")).entry() + "\"]},"
                + "{\"key\":\"c\",\"seen\":[\""
                + DedupeKey.of("c1", List.of("c")).entry() + "\"]}]}";
        Deduplicator d = new Deduplicator(3, 3);
        assertEquals(3, StateFormat.restoreDedupe(d, file.getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, d.ownShares());
        for (int i = 0; i < 3; i++) {
            d.firstTime(DedupeKey.of("flood" + i, List.of("d")));
        }
        assertTrue(d.seen(DedupeKey.of("b1", List.of("b"))) && d.seen(DedupeKey.of("c1", List.of("c"))));
        assertFalse(d.seen(DedupeKey.of("a1", List.of("a"))), "a, written first, went to the others' share");
    }

    static List<String> contents(Deduplicator d) {
        return d.oldestFirst().stream().map(r -> r.share() + " " + r.entry()).toList();
    }

    private static DedupeKey key(String identity) {
        return DedupeKey.of(identity, List.of("global-key"));
    }
}
