package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.Coalesce;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.delivery.schedule.Variables;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeliveryServiceTest {

    private TriggerIndex index;
    private DeliveryLog log;
    private DeliveryService service;
    private final DeliverySettings settings = DeliverySettings.defaults();

    @BeforeEach
    void setUp() {
        index = new TriggerIndex();
        index.put(
                "folder/deploy-main", TriggerSpec.builder().environments("main").build());
        index.put("folder/all-pushes", TriggerSpec.defaults());
        index.put("crons", TriggerSpec.builder().events("environment.cron").build());
        log = new DeliveryLog(50);
        service = new DeliveryService(
                index, new Deduplicator(100), log, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    private Outcome send(DeliveryRequest r) {
        return service.decide(r, settings, Fixtures.globalKey());
    }

    @Test
    void acceptedPushSchedulesEveryMatchingJobWithVariablesAndCause() {
        Outcome o = send(Fixtures.signed(Fixtures.bytes("push-2022.json")));
        assertEquals(200, o.status());
        assertEquals(Outcome.Kind.ACCEPTED, o.kind());
        assertEquals("accepted", o.body());
        assertEquals(
                List.of("folder/deploy-main", "folder/all-pushes"),
                o.schedules().stream().map(Schedule::targetId).toList());
        Schedule s = o.schedules().get(0);
        assertEquals("main", s.variables().get(Variables.BRANCH));
        assertEquals("Platform.sh environment.push on main by Jane Doe", s.causeText());
        assertEquals("Platform.sh environment.push on main by Jane Doe", s.causeHtml());
        assertEquals("proj2022abcdefg/main", s.coalesceKey());
        assertFalse(s.redactedPayload().contains("hunter2"));
        org.junit.jupiter.api.Assertions.assertSame(
                s.redactedPayload(),
                o.schedules().get(1).redactedPayload(),
                "redacted once per delivery, shared by its builds");
        assertEquals(Coalesce.EVERY_DELIVERY, s.spec().coalesce());
        assertFalse(o.deliveryId().isEmpty());
    }

    @Test
    void theSameDeliveryTwiceIsADuplicateButANewStateIsNot() {
        byte[] body = Fixtures.bytes("push-2022.json");
        assertEquals(Outcome.Kind.ACCEPTED, send(Fixtures.signed(body)).kind());
        Outcome again = send(Fixtures.signed(body));
        assertEquals(200, again.status());
        assertEquals(Outcome.Kind.DUPLICATE, again.kind());
        assertTrue(again.schedules().isEmpty());
        byte[] inProgress = Fixtures.text("push-2022.json")
                .replace("\"state\": \"complete\"", "\"state\": \"in_progress\"")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Outcome other = send(Fixtures.signed(inProgress));
        assertEquals(Outcome.Kind.IGNORED, other.kind(), "same activity, another state: new, though no job wants it");
    }

    @Test
    void ignoredDeliverySaysSoWithoutNamingJobs() {
        index.put("folder/secret-job", TriggerSpec.builder().projects("nope").build());
        Outcome o = send(Fixtures.signed(Fixtures.bytes("branch-in-progress.json")));
        assertEquals(200, o.status());
        assertEquals(Outcome.Kind.IGNORED, o.kind());
        assertEquals("ignored: no job's trigger matches this delivery", o.body());
        assertFalse(o.body().contains("folder"));
        assertEquals(
                "event environment.branch is not one of [environment.push, environment.merge]",
                o.match().orElseThrow().resultFor("folder/deploy-main").reason());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "GET|application/json|signed|200|Platform.sh webhook endpoint: Platform.sh and Upsun POST activity webhooks here.",
                "HEAD||none|200|Platform.sh webhook endpoint: Platform.sh and Upsun POST activity webhooks here.",
                "post|application/json|signed|405|method not allowed: deliveries are POSTed",
                "PUT|application/json|signed|405|method not allowed: deliveries are POSTed",
                "POST||signed|200|accepted",
                "POST||none|401|unauthorized: no X-JWS-Signature header and no token",
                "POST|text/plain|signed|200|accepted",
                "POST|text/plain; charset=utf-8|signed|200|accepted",
                "POST|text/plain|wrong|403|forbidden: X-JWS-Signature does not match any configured shared key",
                "POST|application/octet-stream|signed|200|accepted",
                "POST|text/json|signed|200|accepted",
                "POST|application/vnd.api+json|signed|200|accepted",
                "POST|application/x-www-form-urlencoded|signed|415|unsupported media type: send JSON (application/json)",
                "POST|multipart/form-data; boundary=x|signed|415|unsupported media type: send JSON (application/json)",
                "POST|text/html|signed|415|unsupported media type: send JSON (application/json)",
                "POST|application/json; charset=ISO-8859-1|signed|415|unsupported media type: only UTF-8 JSON is accepted",
                "POST|text/plain; charset=ISO-8859-1|signed|415|unsupported media type: only UTF-8 JSON is accepted",
                "POST|Application/JSON; Charset=\"UTF-8\"|signed|200|accepted",
                "POST|application/json;charset=utf-8|signed|200|accepted",
                "POST|application/json|none|401|unauthorized: no X-JWS-Signature header and no token",
                "POST|application/json|wrong|403|forbidden: X-JWS-Signature does not match any configured shared key",
                "POST|application/json|garbage|403|forbidden: X-JWS-Signature is not a detached JWS (header..signature)",
                "POST|application/json|token|403|forbidden: a token was sent but no token is configured"
            })
    void statuses(String method, String contentType, String auth, int status, String body) {
        byte[] payload = Fixtures.bytes("push-2022.json");
        DeliveryRequest.Builder b = DeliveryRequest.builder().method(method).body(payload);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        switch (auth) {
            case "signed" -> b.header("X-JWS-Signature", SignatureVerifier.sign(Fixtures.KEY, payload));
            case "wrong" -> b.header("X-JWS-Signature", SignatureVerifier.sign("d3Jvbmc", payload));
            case "garbage" -> b.header("X-JWS-Signature", "garbage");
            case "token" -> b.query("token", "anything");
            default -> {}
        }
        Outcome o = send(b.build());
        assertEquals(status, o.status());
        assertEquals(body, o.body());
        if (o.kind() == Outcome.Kind.PROBE) {
            assertTrue(o.schedules().isEmpty());
            assertTrue(log.newestFirst().isEmpty() && log.refusedNewestFirst().isEmpty(), "a probe is not a delivery");
            assertEquals(Map.of("probe", 1L), log.counters(), "a probe is counted apart");
        }
        if (status != 200) {
            assertEquals(Outcome.Kind.REJECTED, o.kind());
            assertTrue(o.schedules().isEmpty());
        }
    }

    @Test
    void aFloodOfUnverifiedRequestsCannotPushDeliveriesOffTheLog() {
        DeliverySettings small = settings.withLogSize(5);
        service.decide(Fixtures.signed(Fixtures.bytes("push-2022.json")), small, Fixtures.globalKey());
        for (int i = 0; i < 300; i++) {
            service.decide(Fixtures.unsigned(Fixtures.bytes("merge.json")), small, Fixtures.globalKey());
            service.decide(Fixtures.signed(Fixtures.bytes("merge.json"), "d3Jvbmc"), small, Fixtures.globalKey());
            service.decide(
                    DeliveryRequest.builder()
                            .header("Content-Type", "application/xml")
                            .body(new byte[1])
                            .build(),
                    small,
                    Fixtures.globalKey());
        }
        assertEquals(
                List.of(Outcome.Kind.ACCEPTED),
                log.newestFirst().stream().map(DeliveryLog.Entry::outcome).toList());
        assertEquals(5, log.refusedNewestFirst().size(), "the sample is bounded by the log size");
        assertEquals(415, log.refusedNewestFirst().get(0).status(), "newest first");
        assertEquals(
                Map.of("accepted", 1L, "rejected 401", 300L, "rejected 403", 300L, "rejected 415", 300L),
                log.counters());
        for (int i = 0; i < 100; i++) {
            send(Fixtures.unsigned(Fixtures.bytes("merge.json")));
        }
        assertEquals(DeliveryLog.REFUSED_SAMPLE_SIZE, log.refusedNewestFirst().size(), "and by its own size");
    }

    @Test
    void aRequestWithoutCredentialIsRefusedBeforeItsBodyIsRead() {
        InputStream explodes = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body of an anonymous request was read");
            }
        };
        Outcome o = service.decide(
                DeliveryRequest.builder()
                        .method("POST")
                        .contentLength(10L << 20)
                        .body(explodes)
                        .build(),
                settings,
                () -> {
                    throw new AssertionError("keys were resolved for an anonymous request");
                });
        assertEquals(401, o.status());
        assertEquals("unauthorized: no X-JWS-Signature header and no token", o.body());
        // Nor a malformed signature: its shape is checked first.
        for (String malformed :
                new String[] {"garbage", "a..b", "eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19..short"}) {
            Outcome bad = service.decide(
                    DeliveryRequest.builder()
                            .method("POST")
                            .header("X-JWS-Signature", malformed)
                            .contentLength(10L << 20)
                            .body(explodes)
                            .build(),
                    settings,
                    () -> {
                        throw new AssertionError("keys were resolved for a malformed signature");
                    });
            assertEquals(403, bad.status(), bad::toString);
        }
        // With unsigned deliveries accepted, the same request goes on (and its body is read).
        Outcome unsigned = service.decide(
                Fixtures.unsigned(Fixtures.bytes("push-2022.json")),
                settings.withAcceptUnsigned(true),
                Fixtures.globalKey());
        assertEquals(Outcome.Kind.ACCEPTED, unsigned.kind());
    }

    @Test
    void malformedBodyIs400AfterVerification() {
        byte[] junk = Fixtures.utf8("{\"id\": ");
        assertEquals(400, send(Fixtures.signed(junk)).status());
        assertEquals(
                "bad request: the body is not valid JSON (line 1, column 8)",
                send(Fixtures.signed(junk)).body());
        assertEquals(401, send(Fixtures.unsigned(junk)).status(), "an unverified body is not even parsed");
    }

    @Test
    void tooLargeBodyIs413() {
        byte[] body = new byte[(int) DeliverySettings.MIN_MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        Outcome o = service.decide(
                Fixtures.signed(body),
                settings.withMaxBodyBytes(DeliverySettings.MIN_MAX_BODY_BYTES),
                Fixtures.globalKey());
        assertEquals(413, o.status());
        assertEquals("payload too large: the limit is 1024 bytes", o.body());
    }

    @Test
    void unsignedOnlyWhenExplicitlyAccepted() {
        byte[] body = Fixtures.bytes("push-2022.json");
        Outcome o = service.decide(Fixtures.unsigned(body), settings.withAcceptUnsigned(true), List.of());
        assertEquals(Outcome.Kind.ACCEPTED, o.kind());
        assertEquals(
                "unsigned (accepted by configuration)",
                o.verification().orElseThrow().reason());
        index.put("own-key-job", TriggerSpec.builder().credentialsId("job-key").build());
        Outcome second = service.decide(
                Fixtures.unsigned(Fixtures.bytes("merge.json")), settings.withAcceptUnsigned(true), List.of());
        assertFalse(
                second.schedules().stream().anyMatch(s -> s.targetId().equals("own-key-job")),
                "a job with its own key never builds from an unsigned delivery");
    }

    @Test
    void perJobKeysReachOnlyTheirJobs() {
        String jobKey = "am9iLWtleQ";
        index.put("own-key-job", TriggerSpec.builder().credentialsId("job-key").build());
        List<VerificationKey> keys = List.of(
                VerificationKey.sharedKey("global-key", Fixtures.KEY, true),
                VerificationKey.sharedKey("job-key", jobKey, false).forTarget("own-key-job"));
        byte[] body = Fixtures.bytes("push-2022.json");
        Outcome byJob = service.decide(Fixtures.signed(body, jobKey), settings, keys);
        assertEquals(
                List.of("own-key-job"),
                byJob.schedules().stream().map(Schedule::targetId).toList());
        assertEquals(
                "the delivery was verified only with another job's key, not with the global shared key or token",
                byJob.match().orElseThrow().resultFor("folder/all-pushes").reason());

        Outcome byGlobal = service.decide(Fixtures.signed(Fixtures.bytes("merge.json")), settings, keys);
        assertEquals(
                List.of("folder/deploy-main", "folder/all-pushes"),
                byGlobal.schedules().stream().map(Schedule::targetId).toList());
    }

    @Test
    void aKeyResolvedForOneJobNeverReachesAnotherJobNamingTheSameId() {
        // Two folders, each with a Secret text called "psh-key" holding different secrets.
        String folderA = "Zm9sZGVyLWE";
        String folderB = "Zm9sZGVyLWI";
        index.put("a/job", TriggerSpec.builder().credentialsId("psh-key").build());
        index.put("b/job", TriggerSpec.builder().credentialsId("psh-key").build());
        List<VerificationKey> keys = List.of(
                VerificationKey.sharedKey("psh-key", folderA, false).forTarget("a/job"),
                VerificationKey.sharedKey("psh-key", folderB, false).forTarget("b/job"));
        Outcome signedByA = service.decide(Fixtures.signed(Fixtures.bytes("push-2022.json"), folderA), settings, keys);
        assertEquals(
                List.of("a/job"),
                signedByA.schedules().stream().map(Schedule::targetId).toList());
        assertEquals(
                "the delivery was not verified with the shared key 'psh-key', which this job requires",
                signedByA.match().orElseThrow().resultFor("b/job").reason());
        Outcome signedByB = service.decide(Fixtures.signed(Fixtures.bytes("merge.json"), folderB), settings, keys);
        assertEquals(
                List.of("b/job"),
                signedByB.schedules().stream().map(Schedule::targetId).toList());
        assertFalse(keys.get(0).forTarget("x").global(), "a job's key is never a global one");
        assertTrue(keys.get(0).toString().contains("for a/job"));
    }

    @Test
    void aGlobalKeySharingTheIdOfAJobsOwnKeyDoesNotReachThatJob() {
        // The folder of "folder-job" holds its own "K"; the global store holds another secret under the same id.
        String folderSecret = "Zm9sZGVy";
        String globalSecret = "Z2xvYmFs";
        index.put("folder-job", TriggerSpec.builder().credentialsId("K").build());
        List<VerificationKey> keys = List.of(
                VerificationKey.sharedKey("K", globalSecret, true),
                VerificationKey.sharedKey("K", folderSecret, false).forTarget("folder-job"));
        Outcome byGlobal =
                service.decide(Fixtures.signed(Fixtures.bytes("push-2022.json"), globalSecret), settings, keys);
        assertFalse(byGlobal.schedules().stream().anyMatch(s -> s.targetId().equals("folder-job")));
        Outcome byFolder = service.decide(Fixtures.signed(Fixtures.bytes("merge.json"), folderSecret), settings, keys);
        assertEquals(
                List.of("folder-job"),
                byFolder.schedules().stream().map(Schedule::targetId).toList());
    }

    @Test
    void theSameActivityFromTwoIntegrationsWithTwoKeysIsNotOneDelivery() {
        String jobKey = "am9iLWtleQ";
        index.put("own-key-job", TriggerSpec.builder().credentialsId("job-key").build());
        List<VerificationKey> keys = List.of(
                VerificationKey.sharedKey("global-key", Fixtures.KEY, true),
                VerificationKey.sharedKey("job-key", jobKey, false).forTarget("own-key-job"));
        byte[] body = Fixtures.bytes("push-2022.json");
        // Sent first with one job's key (by a second integration, or by whoever holds that key)...
        assertEquals(
                List.of("own-key-job"),
                service.decide(Fixtures.signed(body, jobKey), settings, keys).schedules().stream()
                        .map(Schedule::targetId)
                        .toList());
        // ...it does not swallow the delivery signed with the global key, which reaches other jobs.
        Outcome global = service.decide(Fixtures.signed(body, Fixtures.KEY), settings, keys);
        assertEquals(Outcome.Kind.ACCEPTED, global.kind());
        assertEquals(
                List.of("folder/deploy-main", "folder/all-pushes"),
                global.schedules().stream().map(Schedule::targetId).toList());
        // A retry with the same signature is still a duplicate.
        assertEquals(
                Outcome.Kind.DUPLICATE,
                service.decide(Fixtures.signed(body, Fixtures.KEY), settings, keys)
                        .kind());
    }

    @Test
    void keysAreOnlyResolvedForARequestThatCouldBeADelivery() {
        int[] calls = {0};
        java.util.function.Supplier<List<VerificationKey>> keys = () -> {
            calls[0]++;
            return Fixtures.globalKey();
        };
        service.decide(DeliveryRequest.builder().method("GET").build(), settings, keys);
        service.decide(DeliveryRequest.builder().method("HEAD").build(), settings, keys);
        service.decide(
                DeliveryRequest.builder()
                        .header("Content-Type", "application/xml")
                        .body(new byte[10])
                        .build(),
                settings,
                keys);
        service.decide(
                DeliveryRequest.builder()
                        .header("Content-Type", "application/json")
                        .contentLength(1L << 30)
                        .header("X-JWS-Signature", "a..b")
                        .build(),
                settings,
                keys);
        service.decide(Fixtures.unsigned(Fixtures.bytes("push-2022.json")), settings, keys);
        assertEquals(
                0,
                calls[0],
                "no credentials lookup for a GET, a HEAD, a wrong media type, an oversized body, "
                        + "or a POST with neither signature nor token");
        assertEquals(
                Outcome.Kind.ACCEPTED,
                service.decide(Fixtures.signed(Fixtures.bytes("push-2022.json")), settings, keys)
                        .kind());
        assertEquals(1, calls[0]);
    }

    @Test
    void keysThatCannotBeReadAreA503NotAnException() {
        Outcome o = service.decide(Fixtures.signed(Fixtures.bytes("push-2022.json")), settings, () -> {
            throw new IllegalStateException("credentials store broken");
        });
        assertEquals(503, o.status());
        assertEquals("not queued: the keys could not be read, retry later", o.body());
        assertEquals(
                Outcome.Kind.ACCEPTED,
                send(Fixtures.signed(Fixtures.bytes("push-2022.json"))).kind(),
                "nothing was marked seen");
    }

    @Test
    void countersMoveEvenWithTheLogTurnedOff() {
        DeliverySettings noLog = settings.withLogSize(0);
        Outcome o = service.decide(Fixtures.signed(Fixtures.bytes("push-2022.json")), noLog, Fixtures.globalKey());
        service.afterScheduling(o, Map.of());
        assertEquals(Map.of("failed", 1L, "accepted", 0L), log.counters());
    }

    @Test
    void projectScopedKeys() {
        String keyA = "a2V5LWE";
        List<VerificationKey> keys =
                List.of(VerificationKey.sharedKey("key-a", keyA, true).forProjects(Set.of("project-a")));
        Outcome o = service.decide(Fixtures.signed(Fixtures.bytes("push-2022.json"), keyA), settings, keys);
        assertEquals(403, o.status());
        assertEquals("forbidden: the key that signed this delivery is not valid for its project", o.body());
        assertTrue(o.schedules().isEmpty());
        byte[] forA = Fixtures.text("merge.json")
                .replace("proj2022abcdefg", "project-a")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(
                Outcome.Kind.ACCEPTED,
                service.decide(Fixtures.signed(forA, keyA), settings, keys).kind());
    }

    @Test
    void projectScopesFromText() {
        VerificationKey k = VerificationKey.sharedKey("k", Fixtures.KEY, true).forProjects(" a, b\nc ");
        assertEquals(Set.of("a", "b", "c"), k.projects());
        assertEquals(Set.of(), k.forProjects("").projects());
        assertTrue(k.global());
    }

    @Test
    void rotationWithProjectKeys() {
        // The old global key, a new global key, and a key for one project only: each verifies what it should.
        String oldKey = "b2xk";
        String newKey = "bmV3";
        String shopKey = "c2hvcA";
        List<VerificationKey> keys = List.of(
                VerificationKey.sharedKey("old", oldKey, true),
                VerificationKey.sharedKey("new", newKey, true),
                VerificationKey.sharedKey("shop", shopKey, true).forProjects("shop-project"));
        assertEquals(
                Outcome.Kind.ACCEPTED,
                service.decide(Fixtures.signed(Fixtures.bytes("push-2022.json"), oldKey), settings, keys)
                        .kind());
        assertEquals(
                Outcome.Kind.ACCEPTED,
                service.decide(Fixtures.signed(Fixtures.bytes("merge.json"), newKey), settings, keys)
                        .kind());
        assertEquals(
                403,
                service.decide(Fixtures.signed(Fixtures.bytes("cron.json"), shopKey), settings, keys)
                        .status());
    }

    @Test
    void rejectedProjectScopeDoesNotMarkTheDeliveryAsSeen() {
        String keyA = "a2V5LWE";
        byte[] body = Fixtures.bytes("push-2022.json");
        service.decide(
                Fixtures.signed(body, keyA),
                settings,
                List.of(VerificationKey.sharedKey("key-a", keyA, true).forProjects(Set.of("project-a"))));
        assertEquals(Outcome.Kind.ACCEPTED, send(Fixtures.signed(body)).kind());
    }

    @Test
    void dryRunDecidesWithoutRememberingOrRecording() {
        byte[] body = Fixtures.bytes("push-2022.json");
        Outcome dry = service.dryRun(Fixtures.unsigned(body), settings, Fixtures.globalKey(), true);
        assertEquals(Outcome.Kind.ACCEPTED, dry.kind());
        assertTrue(dry.dryRun());
        assertEquals(2, dry.schedules().size(), "shows what would be queued");
        assertEquals("", dry.deliveryId());
        assertTrue(log.newestFirst().isEmpty());
        assertEquals(
                Outcome.Kind.ACCEPTED, send(Fixtures.signed(body)).kind(), "a dry run never marks a delivery as seen");
        assertEquals(
                Outcome.Kind.DUPLICATE,
                service.dryRun(Fixtures.unsigned(body), settings, Fixtures.globalKey(), true)
                        .kind());
        assertEquals(
                401,
                service.dryRun(Fixtures.unsigned(body), settings, Fixtures.globalKey(), false)
                        .status(),
                "without skipVerification a dry run checks the signature too");
        assertEquals(1, log.newestFirst().size());
    }

    @Test
    void whenNothingCanBeQueuedTheSenderIsToldToRetryAndTheRetryIsAccepted() {
        byte[] body = Fixtures.bytes("push-2022.json");
        Outcome o = send(Fixtures.signed(body));
        Map<String, ScheduleResult> results = new HashMap<>();
        results.put("folder/deploy-main", ScheduleResult.skipped("the job is disabled"));
        results.put("folder/all-pushes", ScheduleResult.failed("the queue refused it"));
        Outcome after = service.afterScheduling(o, results);
        assertEquals(503, after.status());
        assertEquals(Outcome.Kind.FAILED, after.kind());
        assertEquals("not queued: no build could be queued, retry later", after.body());
        assertEquals(Outcome.Kind.ACCEPTED, send(Fixtures.signed(body)).kind(), "the retry is not a duplicate");
        DeliveryLog.Entry failed = log.get(o.deliveryId());
        assertEquals(503, failed.status());
        assertEquals(Outcome.Kind.FAILED, failed.outcome());
        assertEquals(
                "matched, but skipped: the job is disabled",
                failed.jobs(null, 0, 50).results().get(0).reason());
        assertEquals(
                "matched, but not queued: the queue refused it",
                failed.jobs(null, 0, 50).results().get(1).reason());
        assertEquals(1L, log.counters().get("failed"));
        assertEquals(1L, log.counters().get("accepted"), "the failed delivery moved from accepted to failed");
    }

    @Test
    void whenEveryMatchingJobIsSkippedARetryWouldNotHelp() {
        byte[] body = Fixtures.bytes("push-2022.json");
        Outcome o = send(Fixtures.signed(body));
        Outcome after = service.afterScheduling(
                o,
                Map.of(
                        "folder/deploy-main", ScheduleResult.skipped("the job is disabled"),
                        "folder/all-pushes", ScheduleResult.skipped("the job no longer exists")));
        assertEquals(200, after.status());
        assertEquals(Outcome.Kind.IGNORED, after.kind());
        assertEquals("ignored: the matching jobs cannot build (skipped; the deliveries page says why)", after.body());
        assertEquals(
                Outcome.Kind.DUPLICATE, send(Fixtures.signed(body)).kind(), "no endless retries into a disabled job");
    }

    @Test
    void aTargetWithoutAResultCountsAsFailed() {
        Outcome o = send(Fixtures.signed(Fixtures.bytes("push-2022.json")));
        Outcome after = service.afterScheduling(o, Map.of());
        assertEquals(503, after.status());
        assertEquals(
                "matched, but not queued: no result was reported",
                log.get(o.deliveryId()).jobs(null, 0, 50).results().get(0).reason());
    }

    @Test
    void onceAnyBuildIsQueuedTheAnswerStays200() {
        Outcome o = send(Fixtures.signed(Fixtures.bytes("push-2022.json")));
        Map<String, ScheduleResult> results = new HashMap<>();
        results.put("folder/deploy-main", ScheduleResult.queued());
        results.put("folder/all-pushes", ScheduleResult.failed("boom"));
        Outcome after = service.afterScheduling(o, results);
        assertEquals(200, after.status());
        assertEquals(Outcome.Kind.ACCEPTED, after.kind());
        DeliveryLog.Entry e = log.get(o.deliveryId());
        assertEquals(
                new MatchResult.TargetResult("folder/deploy-main", true, "queued"),
                e.jobs(null, 0, 50).results().get(0));
        assertEquals(
                new MatchResult.TargetResult("folder/all-pushes", false, "matched, but not queued: boom"),
                e.jobs(null, 0, 50).results().get(1));
        assertEquals(
                new MatchResult.TargetResult("crons", false, "event environment.push is not one of [environment.cron]"),
                e.jobs(null, 0, 50).results().get(2));
        assertEquals(
                Outcome.Kind.DUPLICATE,
                send(Fixtures.signed(Fixtures.bytes("push-2022.json"))).kind());
    }

    @Test
    void afterSchedulingLeavesOtherOutcomesAlone() {
        Outcome rejected = send(Fixtures.unsigned(Fixtures.bytes("push-2022.json")));
        assertEquals(rejected, service.afterScheduling(rejected, Map.of()));
    }

    @Test
    void theLogRecordsNewestFirstWithCounters() {
        send(Fixtures.signed(Fixtures.bytes("push-2022.json")));
        send(Fixtures.signed(Fixtures.bytes("push-2022.json")));
        send(Fixtures.unsigned(Fixtures.bytes("merge.json")));
        send(Fixtures.signed(Fixtures.bytes("cron.json")));
        send(DeliveryRequest.builder().method("GET").build());
        List<DeliveryLog.Entry> entries = log.newestFirst();
        assertEquals(3, entries.size(), "a GET is not a delivery and is not logged; an unsigned POST is logged apart");
        DeliveryLog.Entry newest = entries.get(0);
        assertEquals("actcron0001", newest.activityId());
        assertEquals("environment.cron", newest.type());
        assertEquals("proj2022abcdefg", newest.project());
        assertEquals("main", newest.environment());
        assertEquals("complete", newest.state());
        assertEquals("verified by signature (shared key read as base64)", newest.verification());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), newest.receivedAt());
        DeliveryLog.Entry refused = log.refusedNewestFirst().get(0);
        assertEquals(401, refused.status());
        assertNull(refused.activityId(), "a refused delivery was never parsed");
        assertTrue(refused.targets().isEmpty());
        assertEquals(refused, log.get(refused.deliveryId()));
        assertEquals(Outcome.Kind.DUPLICATE, entries.get(1).outcome());
        assertEquals(Map.of("accepted", 2L, "duplicate", 1L, "rejected 401", 1L, "probe", 1L), log.counters());
    }

    @Test
    void theLogIsBounded() {
        DeliverySettings small = settings.withLogSize(3);
        for (int i = 0; i < 10; i++) {
            byte[] body = Fixtures.text("cron.json")
                    .replace("actcron0001", "cron-" + i)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            service.decide(Fixtures.signed(body), small, Fixtures.globalKey());
        }
        List<DeliveryLog.Entry> entries = log.newestFirst();
        assertEquals(3, entries.size());
        assertEquals("cron-9", entries.get(0).activityId());
        assertEquals("cron-7", entries.get(2).activityId());
        assertEquals(10L, log.counters().get("accepted"));
        service.decide(Fixtures.signed(Fixtures.bytes("merge.json")), settings.withLogSize(0), Fixtures.globalKey());
        assertTrue(log.newestFirst().isEmpty(), "size 0 turns the log off");
    }

    @Test
    void settingsAreValidated() {
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> settings.withMaxBodyBytes(10));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> settings.withLogSize(-1));
        assertFalse(DeliverySettings.defaults().acceptUnsigned(), "signatures are required by default");
        assertEquals(10L * 1024 * 1024, DeliverySettings.defaults().maxBodyBytes());
    }

    @Test
    void dedupeIsBounded() {
        Deduplicator d = new Deduplicator(2);
        assertTrue(d.firstTime(key("a")));
        assertFalse(d.firstTime(key("a")));
        assertTrue(d.firstTime(key("b")));
        assertTrue(d.firstTime(key("c")));
        assertEquals(2, d.size());
        assertTrue(d.firstTime(key("a")), "the oldest key was forgotten");
        d.forget(key("a"));
        assertFalse(d.seen(key("a")));
    }

    private static io.jenkins.plugins.platformsh.delivery.dedupe.DedupeKey key(String identity) {
        return io.jenkins.plugins.platformsh.delivery.dedupe.DedupeKey.of(identity, List.of("global-key"));
    }
}
