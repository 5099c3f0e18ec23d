package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import io.jenkins.plugins.platformsh.config.PlatformshAdditionalKey;
import io.jenkins.plugins.platformsh.config.PlatformshGlobalConfiguration;
import io.jenkins.plugins.platformsh.delivery.verify.NamedKey;
import io.jenkins.plugins.platformsh.trigger.PlatformshKeys;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.htmlunit.WebResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.LogRecorder;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * A credential has the one role it is named in (issue 21, point 5), and the keys are resolved once per change, not
 * per request (point 8).
 */
@WithJenkins
class PlatformshKeyRolesTest {

    /** A weak secret, as the review used: it must not be testable with ?token=. */
    private static final String WEAK = "1234";

    private static final String TOKEN = "f3b1c9e07a4d4e2b9c5d8a6f1e0b7c3d2a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d";

    private JenkinsRule r;
    private String push;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        r.jenkins.setQuietPeriod(0);
        Deliveries.configureSharedKey("psh-key", Deliveries.SHARED_KEY);
        push = Deliveries.sample("push-main.json");
    }

    private WebResponse withToken(String token, String body) throws Exception {
        return Deliveries.post(r, "platformsh-webhook/?token=" + token, body, Map.of());
    }

    private static PlatformshTrigger onMain() {
        PlatformshTrigger t = new PlatformshTrigger();
        t.setEnvironments("main");
        return t;
    }

    @Test
    void aJobsSharedKeyIsRefusedAsATokenAndBuildsNothing() throws Exception {
        Deliveries.addSecretText("job-key", WEAK);
        PlatformshTrigger t = onMain();
        t.setCredentialsId("job-key");
        FreeStyleProject p = Deliveries.freestyle(r, "own-key", t);

        WebResponse guessed = withToken(WEAK, push);
        assertEquals(403, guessed.getStatusCode(), guessed.getContentAsString());
        r.waitUntilNoActivity();
        assertNull(p.getLastBuild(), "?token=<the job's shared key> builds nothing");

        // The same secret still verifies as what it was named: a shared key.
        WebResponse signed = Deliveries.postSigned(r, push.replace("tstact0000001", "rolesigned01"), WEAK);
        assertEquals(200, signed.getStatusCode(), signed.getContentAsString());
        r.waitUntilNoActivity();
        assertNotNull(p.getLastBuild());
    }

    @Test
    void anAdditionalKeyIsRefusedAsATokenUnlessNamedAsOne() throws Exception {
        FreeStyleProject p = Deliveries.freestyle(r, "global", onMain());
        Deliveries.addSecretText("extra-key", WEAK);
        Deliveries.addSecretText("extra-token", TOKEN);
        PlatformshGlobalConfiguration config = PlatformshGlobalConfiguration.get();
        config.setAdditionalKeys(List.of(new PlatformshAdditionalKey("extra-key", "")));

        assertEquals(403, withToken(WEAK, push).getStatusCode());
        r.waitUntilNoActivity();
        assertNull(p.getLastBuild());

        PlatformshAdditionalKey tokenEntry = new PlatformshAdditionalKey("", "");
        tokenEntry.setTokenCredentialsId("extra-token");
        config.setAdditionalKeys(List.of(tokenEntry));
        WebResponse ok = withToken(TOKEN, push);
        assertEquals(200, ok.getStatusCode(), ok.getContentAsString());
        r.waitUntilNoActivity();
        assertNotNull(p.getLastBuild(), "a credential named as a token works as one");
    }

    @Test
    void aJobsTokenNamingTheGlobalSharedKeyDoesNotOpenItToGuesses() throws Exception {
        // The job names, as its token, the credentials the global configuration signs with: one form could not see
        // both. Guessing the global key with ?token= must not work, and signed deliveries still build.
        PlatformshTrigger t = onMain();
        t.setTokenCredentialsId("psh-key");
        FreeStyleProject p = Deliveries.freestyle(r, "token-is-the-global-key", t);

        WebResponse guessed = withToken(Deliveries.SHARED_KEY, push);
        assertEquals(403, guessed.getStatusCode(), guessed.getContentAsString());
        r.waitUntilNoActivity();
        assertNull(p.getLastBuild(), "?token=<the global shared key> builds nothing");

        WebResponse signed = Deliveries.postSigned(r, push, Deliveries.SHARED_KEY);
        assertEquals(200, signed.getStatusCode(), signed.getContentAsString());
    }

    @Test
    void aJobsTokenWorksWithTheQueryTokenAndIsNotASharedKey() throws Exception {
        Deliveries.addSecretText("job-token", TOKEN);
        PlatformshTrigger t = onMain();
        t.setTokenCredentialsId("job-token");
        FreeStyleProject p = Deliveries.freestyle(r, "own-token", t);
        assertEquals(List.of(NamedKey.token("job-token")), t.toSpec().ownKeys());

        WebResponse ok = withToken(TOKEN, push);
        assertEquals(200, ok.getStatusCode(), ok.getContentAsString());
        r.waitUntilNoActivity();
        assertNotNull(p.getLastBuild());
        assertEquals(1, p.getBuilds().size());

        WebResponse signed = Deliveries.postSigned(r, push.replace("tstact0000001", "rolesigned02"), TOKEN);
        assertEquals(403, signed.getStatusCode(), "a token is not a shared key");
        r.waitUntilNoActivity();
        assertEquals(1, p.getBuilds().size());
    }

    @Test
    void aTriggerSavedBeforeTheRolesLoadsWithItsKeyAsASharedKeyOnly() throws Exception {
        Deliveries.addSecretText("job-key", WEAK);
        // What the earlier release wrote: one credentialsId, accepted then as a shared key and as a token.
        String xml =
                """
                <?xml version='1.1' encoding='UTF-8'?>
                <project>
                  <triggers>
                    <io.jenkins.plugins.platformsh.trigger.PlatformshTrigger>
                      <spec></spec>
                      <events>environment.push, environment.merge</events>
                      <states>complete</states>
                      <results></results>
                      <projects></projects>
                      <environments>main</environments>
                      <excludedEnvironments></excludedEnvironments>
                      <credentialsId>job-key</credentialsId>
                      <coalesce>EVERY_DELIVERY</coalesce>
                    </io.jenkins.plugins.platformsh.trigger.PlatformshTrigger>
                  </triggers>
                </project>
                """;
        FreeStyleProject p = (FreeStyleProject) r.jenkins.createProjectFromXML(
                "saved-before-roles", new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        PlatformshTrigger t = p.getTrigger(PlatformshTrigger.class);
        assertNotNull(t);
        assertEquals("job-key", t.getCredentialsId());
        assertEquals("", t.getTokenCredentialsId());
        assertEquals(List.of(NamedKey.sharedKey("job-key")), t.toSpec().ownKeys());

        assertEquals(403, withToken(WEAK, push).getStatusCode());
        r.waitUntilNoActivity();
        assertNull(p.getLastBuild(), "the migrated key is not a token");
        assertEquals(200, Deliveries.postSigned(r, push, WEAK).getStatusCode());
        r.waitUntilNoActivity();
        assertNotNull(p.getLastBuild(), "it is still the job's shared key");
    }

    @Test
    void forgedRequestsLookNoCredentialsUpTheKeysAreResolvedOncePerChange() throws Exception {
        PlatformshTrigger t = onMain();
        t.setCredentialsId("no-such-credential");
        Deliveries.freestyle(r, "needs-missing-key", t);
        String forged = Deliveries.sign(Deliveries.OTHER_KEY, push);
        try (LogRecorder logs =
                new LogRecorder().record(PlatformshKeys.class, Level.FINE).capture(1000)) {
            for (int i = 0; i < 20; i++) {
                assertEquals(
                        403,
                        Deliveries.post(r, "platformsh-webhook/", push, Map.of("X-JWS-Signature", forged))
                                .getStatusCode());
            }
            // Each resolution looks the missing credential up and says so (WARNING once, then FINE): one resolution.
            assertEquals(1, lookups(logs), logs.getMessages().toString());

            // A trigger registers: resolved again at most once, and not before a second has passed since the last
            // lookup (a Pipeline can register triggers and waits in a loop), so maybe not yet.
            Deliveries.freestyle(r, "another", onMain());
            for (int i = 0; i < 5; i++) {
                Deliveries.post(r, "platformsh-webhook/", push, Map.of("X-JWS-Signature", forged));
            }
            long afterTrigger = lookups(logs);
            assertTrue(afterTrigger <= 2, logs.getMessages().toString());

            Deliveries.addSecretText("unrelated", "x"); // the credentials store is saved: resolved again at once, once
            for (int i = 0; i < 5; i++) {
                Deliveries.post(r, "platformsh-webhook/", push, Map.of("X-JWS-Signature", forged));
            }
            assertEquals(afterTrigger + 1, lookups(logs), logs.getMessages().toString());
        }
    }

    private static long lookups(LogRecorder logs) {
        return logs.getMessages().stream()
                .filter(m -> m.contains("no-such-credential"))
                .count();
    }

    @Test
    void aCredentialAddedAfterTheTriggerIsSeenAtTheNextDelivery() throws Exception {
        PlatformshTrigger t = onMain();
        t.setCredentialsId("late-key");
        FreeStyleProject p = Deliveries.freestyle(r, "late", t);
        assertEquals(403, Deliveries.postSigned(r, push, Deliveries.OTHER_KEY).getStatusCode());
        Deliveries.addSecretText("late-key", Deliveries.OTHER_KEY); // saved: the cached keys are resolved again
        WebResponse ok = Deliveries.postSigned(r, push, Deliveries.OTHER_KEY);
        assertEquals(200, ok.getStatusCode(), ok.getContentAsString());
        r.waitUntilNoActivity();
        assertNotNull(p.getLastBuild());
    }
}
