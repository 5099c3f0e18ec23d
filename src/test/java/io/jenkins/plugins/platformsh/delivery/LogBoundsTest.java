package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.platformsh.delivery.activity.FieldBounds;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLabels;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.state.StateFormat;
import io.jenkins.plugins.platformsh.delivery.text.Clip;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, point 1: a few signed kilobytes must not become a hundred megabytes. 100 jobs with a trigger and
 * deliveries whose {@code type} and {@code project} were 100 KB each grew the log's file by about 10 MB per delivery,
 * because each job's reason quoted them. The bounds here are computed from the documented limits.
 */
class LogBoundsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int JOBS = 100;
    /** JSON writes one character as at most six bytes ({@code \u0000}). */
    private static final int JSON_BYTES_PER_CHAR = 6;

    private static String job(int i) {
        return "folder/job-" + i;
    }

    private static DeliveryService hundredJobs(DeliveryLog log) {
        TriggerIndex index = new TriggerIndex();
        for (int i = 0; i < JOBS; i++) {
            // Half reject by event, half by project: both reasons quote a payload value.
            index.put(
                    job(i),
                    i % 2 == 0
                            ? TriggerSpec.builder().build()
                            : TriggerSpec.builder()
                                    .events("*")
                                    .projects("other-project-" + i)
                                    .build());
        }
        return new DeliveryService(
                index, new Deduplicator(), log, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    private static byte[] push(String id, String type, String project) throws Exception {
        ObjectNode body = (ObjectNode) MAPPER.readTree(Fixtures.bytes("push-2022.json"));
        body.put("id", id).put("type", type).put("project", project);
        return MAPPER.writeValueAsBytes(body);
    }

    /** What the log's file may hold for these entries, whatever was signed: the documented per-entry bound. */
    private static long bound(DeliveryLog log) {
        int entries = log.newestFirst().size() + log.refusedNewestFirst().size();
        long chars = entries
                * (DeliveryLog.ENTRY_CHARS
                        + JOBS * DeliveryLog.targetChars(job(JOBS).length()));
        return 1024 + chars * JSON_BYTES_PER_CHAR;
    }

    @Test
    void hundredKilobyteTypeAndProjectAgainstHundredTriggersAreRefusedAndTheFileStaysSmall() throws Exception {
        DeliveryLog log = new DeliveryLog(DeliverySettings.MAX_LOG_SIZE);
        DeliveryService svc = hundredJobs(log);
        for (int i = 0; i < 3; i++) {
            byte[] body = push("big" + i, "t".repeat(100_000), "p".repeat(100_000));
            Outcome o = svc.decide(Fixtures.signed(body), DeliverySettings.defaults(), Fixtures.globalKey());
            assertEquals(400, o.status(), o.body());
            assertEquals("bad request: the field 'type' is longer than " + FieldBounds.TYPE + " characters", o.body());
            assertTrue(o.schedules().isEmpty());
        }
        byte[] file = StateFormat.logToJson(log);
        assertTrue(file.length <= bound(log), file.length + " bytes, bound " + bound(log));
        assertTrue(file.length < 16 * 1024, "three refusals take " + file.length + " bytes");
    }

    @Test
    void atEveryBoundEachReasonQuotesAtMostTheQuoteAndTheFileStaysUnderItsBound() throws Exception {
        DeliveryLog log = new DeliveryLog(DeliverySettings.MAX_LOG_SIZE);
        DeliveryService svc = hundredJobs(log);
        String type = "<script>\"é😀".repeat(20).substring(0, FieldBounds.TYPE);
        String project = "😀".repeat(FieldBounds.PROJECT / 2);
        for (int i = 0; i < 10; i++) {
            byte[] body = push("edge" + i, type, project);
            Outcome o = svc.decide(Fixtures.signed(body), DeliverySettings.defaults(), Fixtures.globalKey());
            assertEquals(200, o.status(), o.body());
            assertEquals(Outcome.Kind.IGNORED, o.kind());
        }
        for (DeliveryLog.Entry e : log.newestFirst()) {
            assertEquals(type, e.type(), "a value within its bound is kept whole");
            assertEquals(JOBS, e.jobs(null, 0, MatchResult.MAX_PAGE).results().size());
            for (MatchResult.TargetResult t :
                    e.jobs(null, 0, MatchResult.MAX_PAGE).results()) {
                assertTrue(t.reason().contains(Clip.MARKER), t.reason());
                assertTrue(t.reason().length() <= MatchResult.MAX_REASON + Clip.MARKER.length(), t.reason());
                assertTrue(!t.reason().contains(type) && !t.reason().contains(project), "quoted whole: " + t.reason());
            }
            for (String line : DeliveryLabels.activity(e)) {
                assertTrue(line.length() <= 2 * (Clip.QUOTE + Clip.MARKER.length()) + 32, line);
                assertTrue(line.startsWith("activity ") || line.contains(Clip.MARKER), line);
            }
        }
        byte[] file = StateFormat.logToJson(log);
        assertTrue(file.length <= bound(log), file.length + " bytes, bound " + bound(log));
    }

    @Test
    void aFileWrittenBeforeTheBoundsIsReadBackWithinThem() throws Exception {
        ObjectNode root = MAPPER.createObjectNode().put("format", 1).put("sequence", 1);
        ArrayNode deliveries = root.putArray("deliveries");
        ObjectNode e = deliveries
                .addObject()
                .put("id", "d1")
                .put("receivedAt", "2026-01-01T00:00:00Z")
                .put("remoteAddress", "r".repeat(100_000))
                .put("verification", "v".repeat(100_000))
                .put("status", 200)
                .put("outcome", "IGNORED")
                .put("reason", "x".repeat(100_000));
        e.putObject("activity")
                .put("id", "i".repeat(100_000))
                .put("type", "t".repeat(100_000))
                .put("project", "p".repeat(100_000))
                .put("environment", "e".repeat(100_000))
                .put("state", "s".repeat(100_000));
        ArrayNode targets = e.putArray("targets");
        for (int i = 0; i < JOBS; i++) {
            targets.addObject()
                    .put("job", job(i))
                    .put("matched", false)
                    .put("reason", "event " + "t".repeat(100_000) + " is not one of [environment.push]");
        }
        DeliveryLog log = new DeliveryLog(DeliverySettings.MAX_LOG_SIZE);
        assertEquals(1, StateFormat.restoreLog(log, MAPPER.writeValueAsBytes(root)));
        DeliveryLog.Entry read = log.get("d1");
        assertEquals(FieldBounds.TYPE + Clip.MARKER.length(), read.type().length());
        assertEquals(FieldBounds.PROJECT + Clip.MARKER.length(), read.project().length());
        assertEquals(DeliveryLog.MAX_TEXT + Clip.MARKER.length(), read.reason().length());
        read.targets().forEach(t -> assertTrue(t.reason().length() <= MatchResult.MAX_REASON + Clip.MARKER.length()));
        byte[] file = StateFormat.logToJson(log);
        assertTrue(file.length <= bound(log), file.length + " bytes, bound " + bound(log));
    }
}
