package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult.ReasonCount;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult.TargetResult;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.state.StateFormat;
import io.jenkins.plugins.platformsh.delivery.text.Clip;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Issue 22: a delivery among 10,000 triggers, its summary, its pages, each job's history and its stored form. */
class ManyJobsTest {

    private static final int JOBS = 10_000;
    private static final DeliverySettings SETTINGS = DeliverySettings.defaults();

    private final TriggerIndex index = new TriggerIndex();
    private final DeliveryLog log = new DeliveryLog(200);
    private final DeliveryService service = new DeliveryService(index, new Deduplicator(1000), log, Clock.systemUTC());

    private static String name(int i) {
        return "team-" + (i % 100) + "/job-" + i;
    }

    /** 9,982 jobs for other projects (each its own), 8 that want another state, 10 that match. */
    private void tenThousandJobs() {
        for (int i = 0; i < JOBS; i++) {
            TriggerSpec spec;
            if (i % 1000 == 500) {
                spec = TriggerSpec.defaults();
            } else if (i % 1000 == 7 && i < 8000) {
                spec = TriggerSpec.builder().states("pending").build();
            } else {
                spec = TriggerSpec.builder().projects("p-" + i).build();
            }
            index.put(name(i), spec);
        }
    }

    private DeliveryLog.Entry push() {
        Outcome o = service.decide(Fixtures.signed(Fixtures.bytes("push-2022.json")), SETTINGS, Fixtures.globalKey());
        assertEquals(200, o.status(), o.body());
        return log.get(o.deliveryId());
    }

    @Test
    void theOtherJobsAreSummarisedByTheCheckTheyFailed() {
        tenThousandJobs();
        DeliveryLog.Entry e = push();
        assertEquals(JOBS, e.jobCount());
        assertEquals(
                List.of(
                        new ReasonCount("project proj2022abcdefg is not theirs", 9982),
                        new ReasonCount("state complete is not one of [pending]", 8)),
                e.summary());
        assertEquals(
                List.of(
                        name(500),
                        name(1500),
                        name(2500),
                        name(3500),
                        name(4500),
                        name(5500),
                        name(6500),
                        name(7500),
                        name(8500),
                        name(9500)),
                e.matchedJobs().stream().map(TargetResult::targetId).toList());
        assertEquals(10, e.matchedCount());
        assertTrue(
                e.matchedJobs().stream().allMatch(t -> t.matched() && t.reason().equals("matched")));
    }

    @Test
    void aGroupWhoseJobsGiveOneReasonIsLabelledWithIt() throws Exception {
        for (int i = 0; i < 300; i++) {
            index.put("j" + i, TriggerSpec.builder().projects("elsewhere").build());
        }
        index.put("cron", TriggerSpec.builder().events("environment.cron").build());
        MatchResult r = index.match(
                Fixtures.parse("push-2022.json"), Verification.verified(java.util.Set.of("g"), true, "signature"));
        assertEquals(
                List.of(
                        new ReasonCount("project proj2022abcdefg is not one of [elsewhere]", 300),
                        new ReasonCount("event environment.push is not one of [environment.cron]", 1)),
                r.summary());
        assertTrue(r.summary() == r.summary(), "computed once, then kept");
    }

    @Test
    void deliveriesTheChecksCannotTellApartShareOneSummary() throws Exception {
        for (int i = 0; i < 100; i++) {
            index.put("j" + i, TriggerSpec.builder().environments("env-" + i).build());
        }
        index.put("own", TriggerSpec.builder().credentialsId("job-key").build());
        Activity push = Fixtures.parse("push-2022.json");
        Verification global = Verification.verified(java.util.Set.of("g"), true, "signature");
        MatchResult first = index.match(push, global);
        MatchResult again = index.match(Fixtures.parse("push-2022.json"), global);
        assertTrue(first.summary() == again.summary(), "made once for both");
        MatchResult unsigned = index.match(push, Verification.unsigned());
        assertEquals(
                List.of(
                        new ReasonCount("environment main is not theirs", 100),
                        new ReasonCount(
                                "the delivery is unsigned, and this job requires one verified with its shared key"
                                        + " 'job-key'",
                                1)),
                unsigned.summary(),
                "another verification: another summary");
        assertEquals(
                List.of(
                        new ReasonCount("environment main is not theirs", 100),
                        new ReasonCount(
                                "the delivery was not verified with the shared key 'job-key', which this job requires",
                                1)),
                first.summary());
    }

    @Test
    void theSmallestGroupsAreFoldedIntoOtherReasons() {
        List<ReasonCount> groups = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            groups.add(new ReasonCount("r" + i, 100 - i));
        }
        List<ReasonCount> folded = MatchResult.fold(groups);
        assertEquals(MatchResult.MAX_GROUPS, folded.size());
        assertEquals(groups.subList(0, MatchResult.MAX_GROUPS - 1), folded.subList(0, MatchResult.MAX_GROUPS - 1));
        assertEquals(
                new ReasonCount(MatchResult.OTHER_REASONS, 91 + 90 + 89 + 88 + 87),
                folded.get(MatchResult.MAX_GROUPS - 1));
    }

    @Test
    void everyJobIsPagedInConfigurationOrderAndFilteredByName() {
        tenThousandJobs();
        DeliveryLog.Entry e = push();
        MatchResult.JobPage first = e.jobs(null, 0, 50);
        assertEquals(JOBS, first.total());
        assertEquals(IntStream.range(0, 50).mapToObj(ManyJobsTest::name).toList(), ids(first));
        assertEquals(IntStream.range(9990, JOBS).mapToObj(ManyJobsTest::name).toList(), ids(e.jobs("", 9990, 50)));
        assertEquals(MatchResult.MAX_PAGE, e.jobs(null, 0, 100_000).results().size(), "a page is bounded");
        assertEquals(1, e.jobs(null, 0, 0).results().size(), "at least one");

        MatchResult.JobPage team = e.jobs("TEAM-7/", 0, 50);
        assertEquals(100, team.total(), "jobs 7, 107, 207...: case ignored");
        assertEquals(IntStream.range(0, 50).mapToObj(k -> name(7 + 100 * k)).toList(), ids(team));
        assertEquals(
                IntStream.range(90, 100).mapToObj(k -> name(7 + 100 * k)).toList(), ids(e.jobs("team-7/", 90, 50)));
        assertEquals(0, e.jobs("no such job", 0, 50).total());
        MatchResult.JobPage matched = e.jobs("job-500", 0, 50);
        assertEquals(11, matched.total(), "job-500 and job-5000 to job-5009");
        assertEquals(
                new TargetResult(name(500), true, "matched"), matched.results().get(0));
    }

    @Test
    void eachJobsResultIsTheReasonItsTriggerGives() throws Exception {
        tenThousandJobs();
        DeliveryLog.Entry e = push();
        Activity a = Fixtures.parse("push-2022.json");
        Verification v = Verification.verified(Fixtures.globalKey(), "signature");
        for (int i = 0; i < JOBS; i++) {
            String why = index.get(name(i)).mismatch(a, v, name(i));
            TargetResult r = e.resultFor(name(i));
            assertEquals(
                    new TargetResult(
                            name(i), why == null, why == null ? "matched" : Clip.to(why, MatchResult.MAX_REASON)),
                    r);
        }
        assertNull(e.resultFor("no-such-job"));
        assertNull(e.resultFor(null));
    }

    @Test
    void aJobSeesOnlyDeliveriesVerifiedByAKeyValidForIt() throws Exception {
        String jobKey = "am9iLWtleQ";
        index.put("open", TriggerSpec.defaults());
        index.put("own", TriggerSpec.builder().credentialsId("job-key").build());
        List<VerificationKey> keys = List.of(
                VerificationKey.sharedKey("global-key", Fixtures.KEY, true),
                VerificationKey.sharedKey("job-key", jobKey, false).forTarget("own"));
        String byGlobal = service.decide(Fixtures.signed(Fixtures.bytes("push-2022.json")), SETTINGS, keys)
                .deliveryId();
        String byJobKey = service.decide(Fixtures.signed(Fixtures.bytes("merge.json"), jobKey), SETTINGS, keys)
                .deliveryId();
        Outcome unsigned = service.decide(
                Fixtures.unsigned(Fixtures.bytes("merge-outcome.json")), SETTINGS.withAcceptUnsigned(true), keys);
        assertTrue(log.get(unsigned.deliveryId()).unsigned());
        assertTrue(log.get(unsigned.deliveryId()).resultFor("open") != null, "it reached the job");

        assertVisibility(log, byGlobal, byJobKey);
        DeliveryLog restored = new DeliveryLog(200);
        StateFormat.restoreLog(restored, StateFormat.logToJson(log));
        assertVisibility(restored, byGlobal, byJobKey);
    }

    /**
     * A key of the global configuration (an additional key of project B, say) reaches every job, but a job that names
     * projects sees on its page only the deliveries of its projects, live and after a restart.
     */
    @Test
    void aJobThatNamesProjectsSeesOnlyTheirDeliveries() throws Exception {
        TriggerSpec tenantA = TriggerSpec.builder().projects("projectaaaaaa").build();
        index.put("tenant-a/deploy", tenantA);
        List<VerificationKey> keys = List.of(VerificationKey.sharedKey("global-key", Fixtures.KEY, true));
        byte[] other = Fixtures.bytes("push-2022.json");
        byte[] own = new String(other, java.nio.charset.StandardCharsets.UTF_8)
                .replace("proj2022abcdefg", "projectaaaaaa")
                .replace("act2022push01", "act2022push02")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String otherProject =
                service.decide(Fixtures.signed(other), SETTINGS, keys).deliveryId();
        String ownProject = service.decide(Fixtures.signed(own), SETTINGS, keys).deliveryId();
        assertEquals("proj2022abcdefg", log.get(otherProject).project());

        assertEquals(List.of(ownProject), ids(log.forTarget("tenant-a/deploy", tenantA, 10)));
        assertEquals(
                List.of(ownProject, otherProject),
                ids(log.forTarget("tenant-a/deploy", 10)),
                "without the job's filter, every delivery it may see by its keys");
        DeliveryLog restored = new DeliveryLog(200);
        StateFormat.restoreLog(restored, StateFormat.logToJson(log));
        assertEquals(List.of(ownProject), ids(restored.forTarget("tenant-a/deploy", tenantA, 10)));
    }

    private static void assertVisibility(DeliveryLog log, String byGlobal, String byJobKey) {
        assertEquals(
                List.of(byGlobal), ids(log.forTarget("open", 10)), "another job's key never shows; unsigned neither");
        assertEquals(List.of(byJobKey, byGlobal), ids(log.forTarget("own", 10)), "newest first");
        assertEquals(List.of(byJobKey), ids(log.forTarget("own", 1)));
        assertEquals(List.of(), ids(log.forTarget("no-such-job", 10)));
        DeliveryLog.JobDelivery own = log.forTarget("own", 10).get(0);
        assertEquals(new TargetResult("own", true, "matched"), own.result());
        assertFalse(log.get(byJobKey).visibleTo("open"));
        assertTrue(log.get(byGlobal).visibleTo("own"), "the global key is valid for every job");
    }

    private static List<String> ids(List<DeliveryLog.JobDelivery> deliveries) {
        return deliveries.stream().map(d -> d.entry().deliveryId()).toList();
    }

    private static List<String> ids(MatchResult.JobPage page) {
        return page.results().stream().map(TargetResult::targetId).toList();
    }

    @Test
    void theStoredFormKeepsTheMatchedJobsTheCandidatesAndTheSummary() throws Exception {
        tenThousandJobs();
        DeliveryLog.Entry live = push();
        byte[] file = StateFormat.logToJson(log);
        assertTrue(file.length < 8 * 1024, file.length + " bytes for one delivery among 10,000 jobs");
        DeliveryLog after = new DeliveryLog(200);
        assertEquals(1, StateFormat.restoreLog(after, file));
        DeliveryLog.Entry e = after.get(live.deliveryId());
        assertFalse(e.live());
        assertEquals(JOBS, e.jobCount());
        assertEquals(live.summary(), e.summary());
        assertEquals(live.matchedJobs(), e.matchedJobs());
        assertEquals(live.resultFor(name(7)), e.resultFor(name(7)), "a candidate is kept with its reason");
        assertEquals(live.resultFor(name(500)), e.resultFor(name(500)));
        assertNull(e.resultFor(name(0)), "a job ruled out by the index is not stored");
        assertEquals(18, e.jobs(null, 0, 50).total(), "the jobs it kept: matched, then candidates");
        assertEquals(List.of(e.deliveryId()), ids(after.forTarget(name(500), 10)));
        assertEquals(file.length, StateFormat.logToJson(after).length, "written again the same");
    }

    @Test
    void aFileOfTheFormerLayoutIsReadIntoTheStoredForm() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode().put("format", 1).put("sequence", 3);
        ObjectNode d = root.putArray("deliveries")
                .addObject()
                .put("id", "d3")
                .put("receivedAt", "2026-01-01T00:00:00Z")
                .put("verification", "verified by signature")
                .put("status", 200)
                .put("outcome", "ACCEPTED")
                .put("reason", "accepted")
                .put("targetsNotStored", 5);
        ArrayNode t = d.putArray("targets");
        t.addObject().put("job", "a").put("matched", true).put("reason", "queued");
        t.addObject().put("job", "b").put("matched", false).put("reason", "matched, but skipped: disabled");
        t.addObject().put("job", "c").put("matched", false).put("reason", "state x is not one of [complete]");
        t.addObject().put("job", "d").put("matched", false).put("reason", "state x is not one of [complete]");
        t.addObject().put("job", "e").put("matched", false).put("reason", "event y is not one of [z]");
        DeliveryLog after = new DeliveryLog(200);
        StateFormat.restoreLog(after, mapper.writeValueAsString(root).getBytes(StandardCharsets.UTF_8));
        DeliveryLog.Entry e = after.get("d3");
        assertEquals(10, e.jobCount());
        assertEquals(
                List.of("a", "b"),
                e.matchedJobs().stream().map(TargetResult::targetId).toList());
        assertEquals(
                List.of(
                        new ReasonCount("not kept across the restart", 5),
                        new ReasonCount("state x is not one of [complete]", 2),
                        new ReasonCount("event y is not one of [z]", 1)),
                e.summary());
        assertEquals(new TargetResult("d", false, "state x is not one of [complete]"), e.resultFor("d"));
        assertEquals(java.util.Set.of("a"), after.builtFor("d3"));
        assertFalse(e.visibleTo("a"), "which keys verified it was not stored then: shown to no job");
    }

    @Test
    void theJobListsLiveEntriesRetainAreBounded() {
        int jobs = 19_000;
        for (int i = 0; i < jobs; i++) {
            index.put("job-" + i, TriggerSpec.builder().environments("env-" + i).build());
        }
        String body = new String(Fixtures.bytes("push-2022.json"), StandardCharsets.UTF_8);
        List<String> ids = new ArrayList<>();
        for (int d = 0; d < 8; d++) {
            index.put(
                    "extra-" + d, TriggerSpec.builder().environments("nothing").build()); // a new job list each
            byte[] b = body.replace("act2022push01", "act2022push" + (10 + d)).getBytes(StandardCharsets.UTF_8);
            Outcome o = service.decide(Fixtures.signed(b), SETTINGS, Fixtures.globalKey());
            assertEquals(Outcome.Kind.IGNORED, o.kind(), o.body());
            ids.add(o.deliveryId());
        }
        assertTrue(ids.stream().allMatch(id -> log.get(id).live()), "nothing is settled on the request path");
        log.settleBodies();
        // Newest first: 19,008 + 19,007 + ... jobs, five lists within MAX_LIVE_TARGETS, the sixth past it.
        int live = 0;
        long held = 0;
        for (DeliveryLog.Entry e : log.newestFirst()) {
            if (e.live()) {
                live++;
                held += e.jobCount();
            }
        }
        assertEquals(DeliveryLog.MAX_LIVE_TARGETS / jobs, live);
        assertTrue(held <= DeliveryLog.MAX_LIVE_TARGETS);
        for (int d = 0; d < 3; d++) {
            DeliveryLog.Entry stored = log.get(ids.get(d));
            assertFalse(stored.live(), "the oldest are stored");
            assertEquals(jobs + d + 1, stored.jobCount());
            assertEquals(List.of(new ReasonCount("environment main is not theirs", jobs + d + 1)), stored.summary());
        }
    }
}
