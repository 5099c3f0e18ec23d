package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.state.StateFormat;
import io.jenkins.plugins.platformsh.delivery.verify.Audience;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One credentials id named as its own key by every branch job (a folder's key in each Jenkinsfile): each delivery it
 * verifies is verified for thousands of jobs. What the log keeps of that must not grow with the number of jobs.
 */
class KeyNamedByManyJobsTest {

    private static final String TEAM_KEY = "dGVhbS1rZXktYnl0ZXM";
    private static final int JOBS = 2_000;

    private final TriggerIndex index = new TriggerIndex();
    private final DeliveryLog log = new DeliveryLog(200);
    private final DeliveryService service = new DeliveryService(index, new Deduplicator(1000), log, Clock.systemUTC());

    private List<VerificationKey> jobsNamingOneKey(int jobs) {
        List<VerificationKey> keys = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            String job = "team/branch-" + i;
            index.put(job, TriggerSpec.builder().credentialsId("team-key").build());
            keys.add(VerificationKey.sharedKey("team-key", TEAM_KEY, false).forTarget(job));
        }
        return keys;
    }

    private String deliver(List<VerificationKey> keys, int n) {
        byte[] body = new String(Fixtures.bytes("push-2022.json"), StandardCharsets.UTF_8)
                .replace("act2022push01", "act2022push" + (100 + n))
                .getBytes(StandardCharsets.UTF_8);
        return service.decide(Fixtures.signed(body, TEAM_KEY), DeliverySettings.defaults(), keys)
                .deliveryId();
    }

    @Test
    void theLogAndItsFileKeepNoNameOfEveryJobPerDelivery() throws Exception {
        List<VerificationKey> keys = jobsNamingOneKey(JOBS);
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            ids.add(deliver(keys, n));
        }
        DeliveryLog.Entry first = log.get(ids.get(0));
        DeliveryLog.Entry last = log.get(ids.get(19));
        assertTrue(first.replayable(), "kept for replay, with how it was verified");
        assertEquals(JOBS, first.keptVerification().refs().size());
        assertSame(
                first.keptVerification().refs(),
                last.keptVerification().refs(),
                "one set of refs for every delivery the same keys verified, not one per delivery");
        assertEquals(Audience.NONE.targets(), first.audience().targets(), "past the bound, no names are kept");
        assertFalse(first.visibleTo("team/branch-7"), "the safe side: no job's page shows it by its own key");

        // Every job matched (its own key verified it): the stored form keeps 500 of them. Beside that, neither who may
        // see an entry nor how it was verified names every job again.
        com.fasterxml.jackson.databind.JsonNode stored =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(StateFormat.logToJson(log));
        int entries = 0;
        for (com.fasterxml.jackson.databind.JsonNode e : stored.findParents("seenBy")) {
            entries++;
            assertTrue(
                    e.path("seenBy").path("targets").size() == 0,
                    e.path("seenBy").toString());
            assertTrue(e.path("kept").path("refs").size() <= Audience.MAX_TARGETS, "kept refs");
            assertEquals(JOBS, e.path("kept").path("refsNotStored").asInt(), "counted, not stored");
        }
        assertEquals(20, entries);
    }

    @Test
    void aKeyOfAFewJobsStillShowsOnTheirPages() {
        List<VerificationKey> keys = jobsNamingOneKey(Audience.MAX_TARGETS);
        String id = deliver(keys, 1);
        assertTrue(log.get(id).visibleTo("team/branch-7"));
        assertFalse(log.get(id).visibleTo("another/job"));
        assertEquals(
                List.of(id),
                log.forTarget("team/branch-7", 10).stream()
                        .map(d -> d.entry().deliveryId())
                        .toList());
    }
}
