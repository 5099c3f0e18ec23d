package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, point 3: what one key holder can do to the de-duplication of deliveries verified by other keys. (a) The
 * configuration (which triggers and waits name which credentials) must not change whether the same bytes are a
 * duplicate; (b) a flood through one key must not evict what other keys' deliveries left in the memory.
 */
class DedupeAcrossKeysTest {

    private static final String SECRET_A = "a2V5LWZvci1wcm9qZWN0LWEtb25seQ";
    private static final String SECRET_B = "a2V5LWZvci1wcm9qZWN0LWItb25seQ";
    private static final DeliverySettings SETTINGS = DeliverySettings.defaults();

    private TriggerIndex index;
    private DeliveryService service;

    @BeforeEach
    void setUp() {
        index = new TriggerIndex();
        index.put("all", TriggerSpec.defaults());
        service = new DeliveryService(index, new Deduplicator(100), new DeliveryLog(50), Clock.systemUTC());
    }

    private static byte[] push(String project, String id) {
        return ("{\"id\":\"" + id + "\",\"type\":\"environment.push\",\"project\":\"" + project
                        + "\",\"environments\":[\"main\"],\"parameters\":{\"environment\":\"main\"},"
                        + "\"state\":\"complete\",\"result\":\"success\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aTriggerNamingTheSameSecretRegisteredBetweenTwoCopiesLeavesTheSecondADuplicate() {
        byte[] body = Fixtures.bytes("push-2022.json");
        List<VerificationKey> before = Fixtures.globalKey();
        assertEquals(
                Outcome.Kind.ACCEPTED,
                service.decide(Fixtures.signed(body), SETTINGS, before).kind());

        // A job's trigger (or a waitForPlatformsh step) now names a credential holding the same secret: the same bytes
        // are verified by one more key. They are still the delivery already received.
        index.put(
                "job-with-own-key",
                TriggerSpec.builder().credentialsId("team-key").build());
        List<VerificationKey> after = new ArrayList<>(before);
        after.add(VerificationKey.sharedKey("team-key", Fixtures.KEY, false).forTarget("job-with-own-key"));
        assertEquals(
                Outcome.Kind.DUPLICATE,
                service.decide(Fixtures.signed(body), SETTINGS, after).kind());

        // ... and when that trigger or wait ends again.
        index.remove("job-with-own-key");
        assertEquals(
                Outcome.Kind.DUPLICATE,
                service.decide(Fixtures.signed(body), SETTINGS, before).kind());
    }

    @Test
    void aWaitNamingTheGlobalCredentialsIdChangesNothing() {
        index.put("crons", TriggerSpec.builder().events("environment.cron").build());
        byte[] body = Fixtures.bytes("cron.json");
        List<VerificationKey> withWait = new ArrayList<>(Fixtures.globalKey());
        withWait.add(
                VerificationKey.sharedKey("global-key", Fixtures.KEY, false).forTarget("pipeline"));
        assertEquals(
                Outcome.Kind.ACCEPTED,
                service.decide(Fixtures.signed(body), SETTINGS, withWait).kind());
        assertEquals(
                Outcome.Kind.DUPLICATE,
                service.decide(Fixtures.signed(body), SETTINGS, Fixtures.globalKey())
                        .kind());
    }

    @Test
    void aFloodThroughOneKeyDoesNotEvictWhatAnotherKeyVerified() {
        List<VerificationKey> keys = List.of(
                VerificationKey.sharedKey("key-a", SECRET_A, true).forProjects("projecta"),
                VerificationKey.sharedKey("key-b", SECRET_B, true).forProjects("projectb"));
        byte[] b = push("projectb", "activityofb");
        assertEquals(
                Outcome.Kind.ACCEPTED,
                service.decide(Fixtures.signed(b, SECRET_B), SETTINGS, keys).kind());

        for (int i = 0; i <= 100; i++) { // one more than the memory holds
            Outcome flood = service.decide(Fixtures.signed(push("projecta", "flood" + i), SECRET_A), SETTINGS, keys);
            assertEquals(Outcome.Kind.ACCEPTED, flood.kind(), flood.body());
        }

        assertEquals(
                Outcome.Kind.DUPLICATE,
                service.decide(Fixtures.signed(b, SECRET_B), SETTINGS, keys).kind(),
                "project B's delivery is still remembered");
        assertEquals(
                Outcome.Kind.ACCEPTED,
                service.decide(Fixtures.signed(push("projecta", "flood0"), SECRET_A), SETTINGS, keys)
                        .kind(),
                "the flood evicted its own oldest entry");
    }

    @Test
    void anotherKeySendingAnActivityIdFirstDoesNotMakeTheRealDeliveryADuplicate() {
        // A job's own key reaches that job only, whatever project a delivery names: its holder must not be able to
        // pre-empt the delivery the global key verifies (and the other jobs build from).
        List<VerificationKey> keys = new ArrayList<>(Fixtures.globalKey());
        keys.add(VerificationKey.sharedKey("own", SECRET_A, false).forTarget("team-job"));
        byte[] body = Fixtures.bytes("push-2022.json");
        assertEquals(
                Outcome.Kind.IGNORED,
                service.decide(Fixtures.signed(body, SECRET_A), SETTINGS, keys).kind());
        assertEquals(
                Outcome.Kind.ACCEPTED,
                service.decide(Fixtures.signed(body), SETTINGS, keys).kind());
    }

    @Test
    void anUnsignedCopyDoesNotPreemptTheSignedOne() {
        DeliverySettings open = SETTINGS.withAcceptUnsigned(true);
        index.put(
                "signed-only", TriggerSpec.builder().credentialsId("global-key").build());
        byte[] body = Fixtures.bytes("push-2022.json");
        assertEquals(
                Outcome.Kind.ACCEPTED,
                service.decide(Fixtures.unsigned(body), open, Fixtures.globalKey())
                        .kind());
        Outcome signed = service.decide(Fixtures.signed(body), open, Fixtures.globalKey());
        assertEquals(Outcome.Kind.ACCEPTED, signed.kind(), signed.body());
        assertEquals(
                Outcome.Kind.DUPLICATE,
                service.decide(Fixtures.unsigned(body), open, Fixtures.globalKey())
                        .kind());
    }

    @Test
    void anotherResultOfTheSameActivityAndStateIsAnotherDelivery() {
        byte[] success = push("projecta", "samestate");
        byte[] failure = new String(success, StandardCharsets.UTF_8)
                .replace("\"success\"", "\"failure\"")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(
                Outcome.Kind.ACCEPTED,
                service.decide(Fixtures.signed(success), SETTINGS, Fixtures.globalKey())
                        .kind());
        assertEquals(
                Outcome.Kind.ACCEPTED,
                service.decide(Fixtures.signed(failure), SETTINGS, Fixtures.globalKey())
                        .kind(),
                "a failure is never hidden behind an earlier success");
        assertEquals(
                Outcome.Kind.DUPLICATE,
                service.decide(Fixtures.signed(failure), SETTINGS, Fixtures.globalKey())
                        .kind());
    }
}
