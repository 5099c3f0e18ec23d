package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import io.jenkins.plugins.platformsh.config.PlatformshAdditionalKey;
import io.jenkins.plugins.platformsh.config.PlatformshGlobalConfiguration;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.trigger.PlatformshKeys;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import io.jenkins.plugins.platformsh.trigger.PlatformshTriggers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.logging.Level;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.LogRecorder;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * What a real sender, a URL validator or an administrator's browser may send, over real HTTP. java.net.http is used
 * rather than HtmlUnit because HtmlUnit always adds a Content-Type to a POST body, and "none" is one of the cases.
 */
@WithJenkins
class PlatformshRealSendersTest {

    private static final String PROTECTED = Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}".getBytes(StandardCharsets.US_ASCII));

    private JenkinsRule r;
    private String push;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        r.jenkins.setQuietPeriod(0);
        Deliveries.configureSharedKey("psh-key", Deliveries.SHARED_KEY);
        push = Deliveries.sample("push-main.json");
    }

    /** An X-JWS-Signature made with exactly these key bytes: no key derivation of the plugin's involved. */
    private static String signWith(byte[] key, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((PROTECTED + ".").getBytes(StandardCharsets.US_ASCII));
        return PROTECTED + ".."
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private String signed() throws Exception {
        return Deliveries.sign(Deliveries.SHARED_KEY, push);
    }

    private HttpResponse<String> send(String method, String contentType, String signature, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(r.getURL() + "platformsh-webhook/"))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (signature != null) {
            b.header("X-JWS-Signature", signature);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private FreeStyleProject freestyle(String name, String credentialsId) throws Exception {
        FreeStyleProject p = r.createFreeStyleProject(name);
        PlatformshTrigger t = new PlatformshTrigger();
        if (credentialsId != null) {
            t.setCredentialsId(credentialsId);
        }
        p.addTrigger(t);
        t.start(p, true);
        return p;
    }

    private static DeliveryLog log() {
        return PlatformshTriggers.get().service().log();
    }

    @Test
    void aSignedPostWithoutContentTypeBuildsAndAnUnsignedOneIsRefused() throws Exception {
        FreeStyleProject p = freestyle("fs", null);
        HttpResponse<String> unsigned = send("POST", null, null, push);
        assertEquals(401, unsigned.statusCode(), unsigned.body());
        assertTrue(unsigned.request().headers().firstValue("Content-Type").isEmpty(), "really sent without a type");
        HttpResponse<String> ok = send("POST", null, signed(), push);
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().startsWith("accepted"), ok.body());
        r.waitUntilNoActivity();
        assertEquals(1, p.getBuilds().size());
    }

    @Test
    void textPlainIsReadAsJsonAndStillNeedsItsSignature() throws Exception {
        FreeStyleProject p = freestyle("fs", null);
        assertEquals(401, send("POST", "text/plain", null, push).statusCode());
        assertEquals(
                403,
                send("POST", "text/plain; charset=UTF-8", Deliveries.sign(Deliveries.OTHER_KEY, push), push)
                        .statusCode());
        HttpResponse<String> ok = send("POST", "text/plain; charset=UTF-8", signed(), push);
        assertEquals(200, ok.statusCode(), ok.body());
        r.waitUntilNoActivity();
        assertEquals(1, p.getBuilds().size());
    }

    @Test
    void formEncodedAndMultipartStay415AndBuildNothing() throws Exception {
        FreeStyleProject p = freestyle("fs", null);
        HttpResponse<String> form = send("POST", "application/x-www-form-urlencoded", signed(), push);
        assertEquals(415, form.statusCode());
        assertEquals(
                "unsupported media type: send JSON (application/json)",
                form.body().trim());
        assertEquals(
                415,
                send("POST", "multipart/form-data; boundary=x", signed(), push).statusCode());
        r.waitUntilNoActivity();
        assertNull(p.getLastBuild());
        // Sent correctly afterwards, the same delivery builds: a refusal marked nothing as seen.
        assertEquals(200, send("POST", "application/json", signed(), push).statusCode());
        r.waitUntilNoActivity();
        assertEquals(1, p.getBuilds().size());
    }

    @Test
    void getAndHeadSayWhatTheUrlIsAndAreNotDeliveries() throws Exception {
        freestyle("secret-job-name", null);
        HttpResponse<String> get = send("GET", null, null, null);
        assertEquals(200, get.statusCode());
        assertEquals(
                "Platform.sh webhook endpoint: Platform.sh and Upsun POST activity webhooks here.",
                get.body().trim());
        assertTrue(get.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertFalse(get.body().contains("secret-job-name") || get.body().contains("Jenkins"), get.body());
        HttpResponse<String> head = send("HEAD", null, null, null);
        assertEquals(200, head.statusCode());
        assertEquals(get.headers().firstValue("Content-Type"), head.headers().firstValue("Content-Type"));
        assertEquals(
                "nosniff", head.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals(
                String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length),
                head.headers().firstValue("Content-Length").orElse(""),
                "a HEAD announces what a GET would send");
        assertTrue(log().newestFirst().isEmpty() && log().refusedNewestFirst().isEmpty(), "not recorded as deliveries");
        assertEquals(2L, log().counters().get("probe"), "counted apart");
    }

    @Test
    void aFloodOfUnsignedPostsLeavesTheDeliveriesOnThePage() throws Exception {
        freestyle("fs", null);
        assertEquals(200, send("POST", "application/json", signed(), push).statusCode());
        for (int i = 0; i < 250; i++) {
            assertEquals(401, send("POST", "application/json", null, "{}").statusCode());
        }
        assertEquals(1, log().newestFirst().size());
        assertEquals(DeliveryLog.REFUSED_SAMPLE_SIZE, log().refusedNewestFirst().size());
        assertEquals(250L, log().counters().get("rejected 401"));
    }

    @Test
    void anonymousNoiseLogsAMissingCredentialOnceNotPerRequest() throws Exception {
        freestyle("needs-missing-key", "no-such-credential");
        try (LogRecorder logs =
                new LogRecorder().record(PlatformshKeys.class, Level.FINE).capture(100)) {
            for (int i = 0; i < 15; i++) {
                send("POST", "application/json", null, push); // refused before any key is looked up
                send("POST", "application/json", Deliveries.sign(Deliveries.OTHER_KEY, push), push);
            }
            long warnings = logs.getRecords().stream()
                    .filter(rec -> rec.getLevel() == Level.WARNING)
                    .count();
            assertEquals(1, warnings, logs.getMessages().toString());
            assertTrue(
                    logs.getMessages().get(0).contains("no-such-credential"),
                    logs.getMessages().toString());
        }
    }

    /** A key that is not base64, in each place a key is configured, with the sender signing with its text. */
    @Test
    void aPlainTextKeyWorksGloballyAsAnAdditionalKeyAndAsAJobsOwnKey() throws Exception {
        String globalText = "global plain phrase!";
        String additionalText = "clé du projet, not base64";
        String jobText = "c2VjcmV0"; // base64 too, but the sender used its text
        Deliveries.addSecretText("global-plain", globalText);
        Deliveries.addSecretText("additional-plain", additionalText);
        Deliveries.addSecretText("job-plain", jobText);
        PlatformshGlobalConfiguration config = PlatformshGlobalConfiguration.get();
        config.setCredentialsId("global-plain");
        config.setAdditionalKeys(List.of(new PlatformshAdditionalKey("additional-plain", "testproject123")));
        FreeStyleProject shared = freestyle("shared", null);
        FreeStyleProject own = freestyle("own", "job-plain");

        String first = push.replace("tstact0000001", "plainkey00001");
        assertEquals(
                200,
                send("POST", "application/json", signWith(utf8(globalText), first), first)
                        .statusCode());
        String second = push.replace("tstact0000001", "plainkey00002");
        assertEquals(
                200,
                send("POST", "application/json", signWith(utf8(additionalText), second), second)
                        .statusCode());
        String third = push.replace("tstact0000001", "plainkey00003");
        HttpResponse<String> byJobKey = send("POST", "application/json", signWith(utf8(jobText), third), third);
        assertEquals(200, byJobKey.statusCode(), byJobKey.body());
        r.waitUntilNoActivity();
        assertEquals(2, shared.getBuilds().size(), "global and additional key reach jobs without their own key");
        assertEquals(1, own.getBuilds().size(), "the job's own key reaches that job only");
        assertTrue(
                log().newestFirst().get(0).verification().contains("plain text"),
                log().newestFirst().get(0).verification());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
