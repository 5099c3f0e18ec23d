package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.redact.Redactor;
import io.jenkins.plugins.platformsh.delivery.schedule.CauseText;
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import io.jenkins.plugins.platformsh.delivery.schedule.Variables;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads every public sample in ../shared/payloads (documentation samples, not copied into this repository). When
 * that folder is absent the tests are skipped, and say so.
 */
class SamplePayloadsTest {

    private static Path samplesOrSkip() {
        Path dir = Fixtures.samples();
        assumeTrue(dir != null, "skipped: ../shared/payloads is absent in this checkout");
        return dir;
    }

    @Test
    void everyJsonSampleParsesAndGivesVariables() throws Exception {
        Path dir = samplesOrSkip();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(
                            p -> p.toString().endsWith(".json") && !p.toString().endsWith(".jws.json"))
                    .sorted()
                    .toList();
        }
        assertFalse(files.isEmpty(), "the samples folder has JSON files");
        for (Path f : files) {
            Activity a = ActivityParser.parse(Files.readAllBytes(f));
            assertNotNull(a.id(), f.toString());
            assertNotNull(a.type(), f.toString());
            assertNotNull(a.project(), f.toString());
            assertEquals(a.id(), Variables.of(a).get(Variables.ACTIVITY_ID), f.toString());
            JsonNode redacted = new ObjectMapper().readTree(Redactor.redact(Files.readAllBytes(f)));
            assertFalse(redacted.has("log"), "log dropped in " + f);
            for (com.fasterxml.jackson.databind.JsonNode auth : redacted.findValues("basic_auth")) {
                assertEquals(Redactor.REDACTED, auth.asText(), "basic_auth redacted in " + f);
            }
            assertEquals(
                    new ObjectMapper().readTree(Files.readAllBytes(f)).path("id"),
                    redacted.path("id"),
                    "the rest is kept");
        }
    }

    @Test
    void push2022SampleGivesTheDocumentedFields() throws Exception {
        Path f = samplesOrSkip().resolve("psh-docs-2022-environment.push.json");
        assumeTrue(Files.exists(f), "skipped: sample absent");
        Activity a = ActivityParser.parse(Files.readAllBytes(f));
        assertEquals("environment.push", a.type());
        assertEquals("a1kz6ffxui7em", a.id());
        assertEquals("abcdefgh1234567", a.project());
        assertEquals("main", a.environment());
        assertEquals("main-abcd123", a.machineName());
        assertEquals("2bab04e050279ac078d5d34016f5dd9c466e948d", a.headCommit(), "the pushed commit, not the old head");
        assertEquals("6aac318907b50252976c47e4e62ed95d438af0ea", a.previousCommit());
        assertEquals("Cloé Weber", a.userName());
        assertEquals("https://main-abcd123-abcdefgh1234567.eu-3.platformsh.site/", a.primaryUrl());
        assertEquals("complete", a.state());
        assertEquals("success", a.result());
        assertEquals(1, a.commits().size());
        assertEquals("Add cron", a.commits().get(0).message());
        assertEquals("Platform.sh environment.push on main by Cloé Weber", CauseText.plain(a));
    }

    @Test
    void oldShapesParse() throws Exception {
        Path dir = samplesOrSkip();
        Activity a2015 = ActivityParser.parse(Files.readAllBytes(dir.resolve("psh-docs-2015-environment.push.json")));
        assertEquals("master", a2015.environment());
        assertTrue(a2015.routes().isEmpty());
        Activity a2017 = ActivityParser.parse(Files.readAllBytes(dir.resolve("psh-docs-2017-environment.push.json")));
        assertEquals("master-7rqtwti", a2017.machineName());
        assertTrue(a2017.primaryUrl().startsWith("https://"), "without a primary flag, the https upstream wins");
    }

    @Test
    void cronSample() throws Exception {
        Path f = samplesOrSkip().resolve("psh-docs-2022-environment.cron.json");
        Activity a = ActivityParser.parse(Files.readAllBytes(f));
        assertEquals("environment.cron", a.type());
        assertEquals("main", a.environment());
        assertEquals("Platform.sh Bot", a.userName());
    }

    @Test
    void publicSignatureVectorVerifies() throws Exception {
        Path dir = samplesOrSkip();
        JsonNode vector = new ObjectMapper()
                .readTree(dir.resolve("psh-docs-2019-health.webhook-notification.jws.json")
                        .toFile());
        byte[] body = Files.readAllBytes(dir.resolve(vector.get("body_file").asText()));
        assertEquals(vector.get("body_bytes").asInt(), body.length);
        String header = vector.get("x_jws_signature").asText();
        String key = vector.get("shared_key").asText();

        Verification ok =
                SignatureVerifier.verifySignature(header, body, List.of(VerificationKey.sharedKey("k", key, true)));
        assertEquals(Verification.Status.VERIFIED, ok.status(), ok.reason());
        assertEquals(header, SignatureVerifier.sign(key, body), "we sign exactly as Platform.sh does");

        // This vector was made with the decoded key, not its raw text (both readings are accepted; see
        // KeyReadingsTest).
        byte[] rawKeyMac = SignatureVerifier.hmac(
                key.getBytes(StandardCharsets.UTF_8),
                (header.substring(0, header.indexOf("..")) + ".").getBytes(StandardCharsets.US_ASCII),
                body);
        assertFalse(header.endsWith(
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(rawKeyMac)));

        byte[] tampered = body.clone();
        tampered[10] ^= 1;
        assertEquals(
                Verification.Status.INVALID,
                SignatureVerifier.verifySignature(header, tampered, List.of(VerificationKey.sharedKey("k", key, true)))
                        .status());
    }

    @Test
    void healthSampleEndToEnd() throws IOException {
        Path dir = samplesOrSkip();
        JsonNode vector = new ObjectMapper()
                .readTree(dir.resolve("psh-docs-2019-health.webhook-notification.jws.json")
                        .toFile());
        byte[] body = Files.readAllBytes(dir.resolve(vector.get("body_file").asText()));
        TriggerIndex index = new TriggerIndex();
        index.put("disk-alerts", TriggerSpec.builder().events("health.disk").build());
        index.put("pushes", TriggerSpec.defaults());
        DeliveryService service = new DeliveryService(index);
        DeliveryRequest request = DeliveryRequest.builder()
                .method("POST")
                .header("Content-Type", "application/json")
                .header("X-JWS-Signature", vector.get("x_jws_signature").asText())
                .body(body)
                .build();
        Outcome o = service.decide(
                request,
                DeliverySettings.defaults(),
                List.of(VerificationKey.sharedKey(
                        "health", vector.get("shared_key").asText(), true)));
        assertEquals(200, o.status(), o.body());
        assertEquals(Outcome.Kind.ACCEPTED, o.kind());
        assertEquals(1, o.schedules().size());
        Schedule s = o.schedules().get(0);
        assertEquals("disk-alerts", s.targetId());
        assertEquals("health.disk", s.variables().get(Variables.EVENT));
        assertEquals("warning", s.variables().get(Variables.HEALTH_SEVERITY));
        assertEquals("mysql", s.variables().get(Variables.HEALTH_SERVICE));
        assertEquals("test_project", s.variables().get(Variables.PROJECT));
        assertEquals("master", s.variables().get(Variables.ENVIRONMENT), "the name, without the machine name's suffix");
        assertEquals("master-7rqtwti", s.variables().get(Variables.MACHINE_NAME));
        assertEquals(
                "event health.disk is not one of [environment.push, environment.merge]",
                o.match().orElseThrow().resultFor("pushes").reason());
    }
}
