package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which bytes of a shared key sign a delivery is not settled by Platform.sh: its 2019 test vector uses the
 * base64url-decoded key, some of its current examples the raw text. Every plausible form must verify. The signatures
 * here come from outside the plugin (the published vector, and vectors made with Python's hmac), or from
 * {@link #independentSign}, which takes the key bytes as given: none shares the production code's key derivation.
 */
public class KeyReadingsTest {

    private static final String PROTECTED = Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}".getBytes(StandardCharsets.US_ASCII));

    /** An X-JWS-Signature made with exactly these key bytes. */
    public static String independentSign(byte[] keyBytes, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(keyBytes, "HmacSHA256"));
        mac.update((PROTECTED + ".").getBytes(StandardCharsets.US_ASCII));
        return PROTECTED + ".." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(body));
    }

    private static JsonNode resource(String name) throws IOException {
        try (InputStream in = KeyReadingsTest.class.getResourceAsStream("vectors/" + name)) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static byte[] bytes(String name) throws IOException {
        try (InputStream in = KeyReadingsTest.class.getResourceAsStream("vectors/" + name)) {
            return in.readAllBytes();
        }
    }

    static List<JsonNode> pythonVectors() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        resource("key-readings.json").get("vectors").forEach(out::add);
        return out;
    }

    @Test
    void thePublished2019VectorVerifiesFromTheRepositoryItself() throws Exception {
        JsonNode vector = resource("psh-docs-2019-health.webhook-notification.jws.json");
        byte[] body = bytes(vector.get("body_file").asText());
        assertEquals(vector.get("body_bytes").asInt(), body.length);
        String header = vector.get("x_jws_signature").asText();
        String key = vector.get("shared_key").asText();
        Verification v =
                SignatureVerifier.verifySignature(header, body, List.of(VerificationKey.sharedKey("k", key, true)));
        assertEquals(Verification.Status.VERIFIED, v.status(), v.reason());
        assertEquals("verified by signature (shared key read as base64)", v.reason());
        // The independent signer reproduces it from the decoded bytes, and only from those.
        assertEquals(header, independentSign(Base64.getUrlDecoder().decode(key), body));
        assertFalse(header.equals(independentSign(key.getBytes(StandardCharsets.UTF_8), body)));
        byte[] tampered = body.clone();
        tampered[10] ^= 1;
        assertEquals(
                Verification.Status.INVALID,
                SignatureVerifier.verifySignature(header, tampered, List.of(VerificationKey.sharedKey("k", key, true)))
                        .status());
    }

    @ParameterizedTest
    @MethodSource("pythonVectors")
    void everyPlausibleKeyFormVerifiesAndSaysWhichReadingMatched(JsonNode vector) throws Exception {
        byte[] body = Fixtures.bytes("push-2022.json");
        String key = vector.get("shared_key").asText();
        String signature = vector.get("x_jws_signature").asText();
        Verification v =
                SignatureVerifier.verifySignature(signature, body, List.of(VerificationKey.sharedKey("k", key, true)));
        assertEquals(
                Verification.Status.VERIFIED,
                v.status(),
                () -> vector.get("note").asText() + ": " + v.reason());
        String reading = vector.get("reading").asText().equals("text") ? "plain text" : "base64";
        assertEquals("verified by signature (shared key read as " + reading + ")", v.reason());
        // A pasted new line around the key in the credential changes nothing.
        assertEquals(
                Verification.Status.VERIFIED,
                SignatureVerifier.verifySignature(
                                signature, body, List.of(VerificationKey.sharedKey("k", "\n " + key + "\r\n", true)))
                        .status());
        // Neither reading of another key verifies it, nor does the right key over another body.
        assertEquals(
                Verification.Status.INVALID,
                SignatureVerifier.verifySignature(
                                signature, body, List.of(VerificationKey.sharedKey("other", key + "x", true)))
                        .status());
        byte[] other = body.clone();
        other[other.length - 2] ^= 1;
        assertEquals(
                Verification.Status.INVALID,
                SignatureVerifier.verifySignature(signature, other, List.of(VerificationKey.sharedKey("k", key, true)))
                        .status());
    }

    @Test
    void aKeyThatIsNotBase64WasRefusedAndNowIsAKey() throws Exception {
        String phrase = "my plain secret phrase!";
        assertTrue(VerificationKey.isValidSharedKey(phrase));
        byte[] body = Fixtures.bytes("push-2022.json");
        String signature = independentSign(phrase.getBytes(StandardCharsets.UTF_8), body);
        assertEquals(
                Verification.Status.VERIFIED,
                SignatureVerifier.verifySignature(
                                signature, body, List.of(VerificationKey.sharedKey("k", phrase, true)))
                        .status());
    }

    /** A plain-text key in each place a key is configured: global, additional (per project), a job's own. */
    @Test
    void aPlainTextKeyWorksInEveryPlace() throws Exception {
        String global = "global phrase, not base64";
        String additional = "shop's own key: ünïcødé";
        String jobKey = "c2VjcmV0"; // decodes too; the sender signs with its text
        TriggerIndex index = new TriggerIndex();
        index.put("all", TriggerSpec.defaults());
        index.put("own-key-job", TriggerSpec.builder().credentialsId("job-key").build());
        List<VerificationKey> keys = List.of(
                VerificationKey.sharedKey("global", global, true),
                VerificationKey.sharedKey("shop", additional, true).forProjects("proj2022abcdefg"),
                VerificationKey.sharedKey("job-key", jobKey, false).forTarget("own-key-job"));
        byte[] body = Fixtures.bytes("push-2022.json");

        Outcome byGlobal = decide(index, body, independentSign(global.getBytes(StandardCharsets.UTF_8), body), keys);
        assertEquals(Outcome.Kind.ACCEPTED, byGlobal.kind(), byGlobal::toString);
        assertEquals(Set.of("global"), byGlobal.verification().orElseThrow().keyIds());
        assertEquals(
                List.of("all"),
                byGlobal.schedules().stream().map(Schedule::targetId).toList());

        Outcome byAdditional =
                decide(index, body, independentSign(additional.getBytes(StandardCharsets.UTF_8), body), keys);
        assertEquals(Set.of("shop"), byAdditional.verification().orElseThrow().keyIds());
        assertEquals(
                List.of("all"),
                byAdditional.schedules().stream().map(Schedule::targetId).toList());

        Outcome byJob = decide(index, body, independentSign(jobKey.getBytes(StandardCharsets.UTF_8), body), keys);
        assertEquals(Outcome.Kind.ACCEPTED, byJob.kind(), byJob::toString);
        assertEquals(
                List.of("own-key-job"),
                byJob.schedules().stream().map(Schedule::targetId).toList());

        // The additional key stays limited to its project, whatever its reading.
        byte[] otherProject = Fixtures.text("push-2022.json")
                .replace("proj2022abcdefg", "someotherproject")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(
                403,
                decide(
                                index,
                                otherProject,
                                independentSign(additional.getBytes(StandardCharsets.UTF_8), otherProject),
                                keys)
                        .status());
    }

    @Test
    void bothReadingsOfOneKeyAreOneDelivery() throws Exception {
        TriggerIndex index = new TriggerIndex();
        index.put("all", TriggerSpec.defaults());
        DeliveryService service = new DeliveryService(index);
        List<VerificationKey> keys = List.of(VerificationKey.sharedKey("k", "c2VjcmV0", true));
        byte[] body = Fixtures.bytes("push-2022.json");
        Outcome first = service.decide(
                request(body, independentSign("secret".getBytes(StandardCharsets.UTF_8), body)),
                DeliverySettings.defaults(),
                keys);
        Outcome retry = service.decide(
                request(body, independentSign("c2VjcmV0".getBytes(StandardCharsets.UTF_8), body)),
                DeliverySettings.defaults(),
                keys);
        assertEquals(Outcome.Kind.ACCEPTED, first.kind());
        assertEquals(Outcome.Kind.DUPLICATE, retry.kind(), "the same key, the same activity: one build");
    }

    @Test
    void signProducesWhatTheIndependentSignerDoes() throws Exception {
        byte[] body = Fixtures.bytes("push-2022.json");
        assertEquals(
                independentSign(Base64.getUrlDecoder().decode("c2VjcmV0"), body),
                SignatureVerifier.sign("c2VjcmV0", body));
        assertEquals(
                independentSign("c2VjcmV0".getBytes(StandardCharsets.UTF_8), body),
                SignatureVerifier.signWithKeyText("c2VjcmV0", body));
        assertEquals(
                independentSign("not base64!".getBytes(StandardCharsets.UTF_8), body),
                SignatureVerifier.sign("not base64!", body),
                "a key that does not decode signs with its text");
    }

    private static Outcome decide(TriggerIndex index, byte[] body, String signature, List<VerificationKey> keys) {
        return new DeliveryService(index).decide(request(body, signature), DeliverySettings.defaults(), keys);
    }

    private static DeliveryRequest request(byte[] body, String signature) {
        return DeliveryRequest.builder()
                .method("POST")
                .header("Content-Type", "application/json")
                .header(SignatureVerifier.SIGNATURE_HEADER, signature)
                .body(body)
                .build();
    }
}
