package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.BuildSummary;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLabels;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.log.TimeText;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.delivery.schedule.Variables;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the deliveries page and the build page say: times, activity labels, scheduling, the build summary. */
class DeliveryPageTextTest {

    private static final Instant NOW = Instant.parse("2026-12-01T06:47:45.123456789Z");

    @ParameterizedTest
    @CsvSource({
        "0, just now",
        "4, just now",
        "-30, just now",
        "5, 5 s ago",
        "59, 59 s ago",
        "60, 1 min ago",
        "199, 3 min ago",
        "3599, 59 min ago",
        "3600, 1 h ago",
        "86399, 23 h ago",
        "86400, 1 day ago",
        "172800, 2 days ago",
        "3456000, 40 days ago",
    })
    void timesAreRelative(long secondsAgo, String text) {
        assertEquals(text, TimeText.ago(NOW.minusSeconds(secondsAgo), NOW));
    }

    @Test
    void theExactTimeIsToTheSecondInUtc() {
        assertEquals("2026-12-01 06:47:45 UTC", TimeText.exact(NOW));
    }

    private static DeliveryService service(TriggerIndex index) {
        return new DeliveryService(index, new Deduplicator(100), new DeliveryLog(50), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private record Accepted(DeliveryService service, Outcome outcome, DeliveryLog.Entry entry) {}

    /** The 2022 push, accepted for one job named "job". */
    private static Accepted acceptedPush() {
        TriggerIndex index = new TriggerIndex();
        index.put("job", TriggerSpec.defaults());
        DeliveryService service = service(index);
        Outcome o = service.decide(
                Fixtures.signed(Fixtures.bytes("push-2022.json")), DeliverySettings.defaults(), Fixtures.globalKey());
        return new Accepted(service, o, service.log().get(o.deliveryId()));
    }

    @Test
    void aRejectedDeliveryHasNoEmptyActivityLabels() {
        DeliveryService service = service(new TriggerIndex());
        service.decide(
                Fixtures.unsigned(Fixtures.bytes("push-2022.json")), DeliverySettings.defaults(), Fixtures.globalKey());
        DeliveryLog.Entry rejected = service.log().refusedNewestFirst().get(0);
        assertEquals(401, rejected.status());
        assertEquals(List.of(), DeliveryLabels.activity(rejected));
    }

    @Test
    void anAcceptedDeliveryIsLabelledWithWhatItHas() {
        Accepted a = acceptedPush();
        DeliveryService service = a.service();
        Outcome o = a.outcome();
        DeliveryLog.Entry e = a.entry();
        assertEquals(
                List.of(
                        "environment.push complete",
                        "project proj2022abcdefg, environment main",
                        "activity act2022push01"),
                DeliveryLabels.activity(e));
        assertNull(e.scheduling("job"), "not queued yet");

        service.afterScheduling(o, Map.of("job", ScheduleResult.queued(42)));
        DeliveryLog.Entry after = service.log().get(o.deliveryId());
        assertTrue(after.scheduling("job").hasQueueId());
        assertEquals(42, after.scheduling("job").queueId());
        assertNull(after.scheduling("another"));
    }

    @Test
    void anActivityWithoutEnvironmentSaysOnlyItsProject() {
        byte[] body = Fixtures.text("push-2022.json")
                .replace("\"environment\": \"main\", ", "")
                .replace("\"environments\": [\"main\"]", "\"environments\": []")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        TriggerIndex index = new TriggerIndex();
        DeliveryService service = service(index);
        service.decide(Fixtures.signed(body), DeliverySettings.defaults(), Fixtures.globalKey());
        DeliveryLog.Entry e = service.log().newestFirst().get(0);
        List<String> lines = DeliveryLabels.activity(e);
        assertFalse(
                lines.stream().anyMatch(l -> l.contains(" ,") || l.endsWith(",") || l.endsWith(" ")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("project proj2022abcdefg")), lines.toString());
    }

    @Test
    void aRefusedParameterIsASkipWithItsReasonOnOneBoundedLine() {
        ScheduleResult r = ScheduleResult.parameterRefused(
                "PLATFORMSH_ENVIRONMENT",
                "Illegal choice for parameter PLATFORMSH_ENVIRONMENT: feature\nx" + "y".repeat(500));
        assertEquals(ScheduleResult.Status.SKIPPED, r.status());
        assertTrue(
                r.describe()
                        .startsWith(
                                "matched, but skipped: parameter PLATFORMSH_ENVIRONMENT does not accept "
                                        + "the delivery's value (Illegal choice for parameter PLATFORMSH_ENVIRONMENT: feature x"),
                r.describe());
        assertFalse(r.reason().contains("\n"));
        assertTrue(r.reason().length() < 300, r.reason());
        assertFalse(r.hasQueueId());
        assertEquals(
                "parameter P does not accept the delivery's value",
                ScheduleResult.parameterRefused("P", null).reason());
        assertFalse(ScheduleResult.queued().hasQueueId());
    }

    @Test
    void theBuildSummaryShowsTheShortCommitAndLinksOnlyWebUrls() {
        BuildSummary s = BuildSummary.of(Map.of(
                Variables.COMMIT,
                "2222222222222222222222222222222222222222",
                Variables.URL,
                "https://main-abc.eu-5.platformsh.site/",
                Variables.PROJECT,
                "p1",
                Variables.ACTIVITY_ID,
                "act1"));
        assertEquals("2222222", s.shortCommit());
        assertEquals("2222222222222222222222222222222222222222", s.commit());
        assertTrue(s.urlIsLink());
        assertEquals("p1", s.project());
        assertEquals("act1", s.activityId());
        assertEquals("abc", BuildSummary.of(Map.of(Variables.COMMIT, "abc")).shortCommit());
        assertNull(BuildSummary.of(Map.of()).shortCommit());
        assertFalse(BuildSummary.of(Map.of()).urlIsLink());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "https://main.example.com/|true",
                "HTTP://main.example.com|true",
                "http://user@main.example.com:8080/x?y#z|true",
                "javascript:alert(1)|false",
                "JavaScript://example.com/%0Aalert(1)|false",
                "data:text/html,<script>alert(1)</script>|false",
                "//example.com/|false",
                "/relative/path|false",
                "ftp://example.com/|false",
                "https:///no-host|false",
                "https://exa mple.com/|false",
                "main.example.com|false",
            })
    void onlyHttpAndHttpsUrlsWithAHostAreLinks(String url, boolean link) {
        assertEquals(link, BuildSummary.isWebLink(url), url);
    }

    @Test
    void theDeliveryLinkNeedsTheSameActivityInTheLog() {
        DeliveryLog.Entry e = acceptedPush().entry();
        assertTrue(
                BuildSummary.of(Map.of(Variables.ACTIVITY_ID, "act2022push01")).isShownBy(e));
        assertFalse(BuildSummary.of(Map.of(Variables.ACTIVITY_ID, "another")).isShownBy(e), "same id after a restart");
        assertFalse(
                BuildSummary.of(Map.of(Variables.ACTIVITY_ID, "act2022push01")).isShownBy(null), "left the log");
        assertFalse(BuildSummary.of(Map.of()).isShownBy(e));
    }
}
