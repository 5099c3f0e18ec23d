package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.EnvVars;
import hudson.model.Action;
import hudson.model.BooleanParameterDefinition;
import hudson.model.BooleanParameterValue;
import hudson.model.ChoiceParameterDefinition;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.ParametersAction;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.Queue;
import hudson.model.StringParameterDefinition;
import hudson.model.StringParameterValue;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.trigger.PlatformshCause;
import io.jenkins.plugins.platformsh.trigger.PlatformshDeliveryAction;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import io.jenkins.plugins.platformsh.trigger.PlatformshTriggers;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.CaptureEnvironmentBuilder;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The endpoint, the crumb exclusion, the freestyle trigger and scheduling, end to end over HTTP. */
@WithJenkins
class PlatformshWebhookEndpointTest {

    private JenkinsRule r;
    private String push;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        r.jenkins.setQuietPeriod(0);
        Deliveries.configureSharedKey("psh-key", Deliveries.SHARED_KEY);
        push = Deliveries.sample("push-main.json");
    }

    private FreeStyleProject freestyle(String name, PlatformshTrigger trigger) throws Exception {
        FreeStyleProject p = r.createFreeStyleProject(name);
        p.addTrigger(trigger);
        // AbstractProject.addTrigger does not start it; a configuration save or a restart would.
        trigger.start(p, true);
        return p;
    }

    private static PlatformshTrigger trigger(String environments) {
        PlatformshTrigger t = new PlatformshTrigger();
        t.setEnvironments(environments);
        return t;
    }

    @Test
    void signedDeliveryBuildsFreestyleWithVariables() throws Exception {
        FreeStyleProject p = freestyle("fs", trigger("main"));
        CaptureEnvironmentBuilder capture = new CaptureEnvironmentBuilder();
        p.getBuildersList().add(capture);

        WebResponse rsp = Deliveries.postSigned(r, push, Deliveries.SHARED_KEY);
        assertEquals(200, rsp.getStatusCode(), rsp.getContentAsString());
        r.waitUntilNoActivity();

        FreeStyleBuild b = p.getLastBuild();
        assertNotNull(b, "a build was queued");
        r.assertBuildStatusSuccess(b);
        EnvVars env = capture.getEnvVars();
        assertEquals("main", env.get("PLATFORMSH_ENVIRONMENT"));
        assertEquals("testproject123", env.get("PLATFORMSH_PROJECT"));
        assertEquals("environment.push", env.get("PLATFORMSH_EVENT"));
        assertEquals("2222222222222222222222222222222222222222", env.get("PLATFORMSH_COMMIT"));
        // Literal, although freestyle expands $VAR in environment values.
        assertEquals("Fix the <b>cart</b> for $HOME users", env.get("PLATFORMSH_COMMIT_MESSAGE"));
        assertNotNull(b.getCause(PlatformshCause.class));
        // No parameter was declared: nothing went through ParametersAction.
        assertNull(b.getAction(ParametersAction.class));
    }

    @Test
    void declaredParameterReceivesTheValueAndOthersKeepTheirDefault() throws Exception {
        FreeStyleProject p = freestyle("params", trigger(""));
        p.addProperty(new ParametersDefinitionProperty(
                new StringParameterDefinition("PLATFORMSH_ENVIRONMENT", "none"),
                new StringParameterDefinition("OTHER", "kept")));

        assertEquals(200, Deliveries.postSigned(r, push, Deliveries.SHARED_KEY).getStatusCode());
        r.waitUntilNoActivity();

        FreeStyleBuild b = p.getLastBuild();
        assertNotNull(b);
        ParametersAction parameters = b.getAction(ParametersAction.class);
        assertEquals("main", ((StringParameterValue) parameters.getParameter("PLATFORMSH_ENVIRONMENT")).getValue());
        assertEquals("kept", ((StringParameterValue) parameters.getParameter("OTHER")).getValue());
    }

    @Test
    void wrongSignatureIs403AndMissingIs401WithoutBuild() throws Exception {
        FreeStyleProject p = freestyle("fs", trigger(""));

        WebResponse wrong = Deliveries.postSigned(r, push, Deliveries.OTHER_KEY);
        assertEquals(403, wrong.getStatusCode());
        WebResponse missing = Deliveries.post(r, "platformsh-webhook/", push, Map.of());
        assertEquals(401, missing.getStatusCode());
        String tampered = push.replace("\"main\"", "\"mainx\"");
        WebResponse modified = Deliveries.post(
                r,
                "platformsh-webhook/",
                tampered,
                Map.of("X-JWS-Signature", Deliveries.sign(Deliveries.SHARED_KEY, push)));
        assertEquals(403, modified.getStatusCode());

        r.waitUntilNoActivity();
        assertNull(p.getLastBuild());
        assertTrue(r.jenkins.getQueue().isEmpty());
    }

    @Test
    void sameDeliveryTwiceBuildsOnce() throws Exception {
        FreeStyleProject p = freestyle("fs", trigger(""));

        assertEquals(200, Deliveries.postSigned(r, push, Deliveries.SHARED_KEY).getStatusCode());
        WebResponse again = Deliveries.postSigned(r, push, Deliveries.SHARED_KEY);
        assertEquals(200, again.getStatusCode());
        assertTrue(again.getContentAsString().contains("duplicate"), again.getContentAsString());

        r.waitUntilNoActivity();
        assertEquals(1, p.getBuilds().size());
    }

    @Test
    void nonMatchingFiltersBuildNothingAndTheAnswerNamesNoJob() throws Exception {
        FreeStyleProject p = freestyle("secret-project-name", trigger("production"));

        WebResponse rsp = Deliveries.postSigned(r, push, Deliveries.SHARED_KEY);
        assertEquals(200, rsp.getStatusCode());
        String body = rsp.getContentAsString();
        assertTrue(body.contains("ignored"), body);
        assertFalse(body.contains("secret-project-name"), body);
        assertFalse(Deliveries.postSigned(r, Deliveries.sample("push-feature.json"), Deliveries.OTHER_KEY)
                .getContentAsString()
                .contains("secret-project-name"));

        r.waitUntilNoActivity();
        assertNull(p.getLastBuild());
    }

    @Test
    void otherMethodsAreRefusedWith405NamingTheOnesAllowed() throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient();
        wc.setThrowExceptionOnFailingStatusCode(false);
        WebResponse rsp = wc.getPage(new WebRequest(new URL(r.getURL(), "platformsh-webhook/"), HttpMethod.PUT))
                .getWebResponse();
        assertEquals(405, rsp.getStatusCode());
        assertEquals("POST, GET, HEAD", rsp.getResponseHeaderValue("Allow"));
    }

    @Test
    void crumbIsExcusedOnOurPathOnly() throws Exception {
        freestyle("fs", trigger(""));
        // Deliveries.post sends no crumb, and JenkinsRule has a crumb issuer.
        assertEquals(200, Deliveries.postSigned(r, push, Deliveries.SHARED_KEY).getStatusCode());

        // Without security, these would be 404 and a build: the 403 is the crumb check, still in force there.
        WebResponse neighbour = Deliveries.post(r, "platformsh-webhook-other/", push, Map.of());
        assertEquals(403, neighbour.getStatusCode());
        WebResponse job = Deliveries.post(r, "job/fs/build", "{}", Map.of());
        assertEquals(403, job.getStatusCode());
    }

    @Test
    void latestPerEnvironmentReplacesTheQueuedDeliveryOfTheSameEnvironment() throws Exception {
        FreeStyleProject p = latestPerEnvironment("latest", "environment.push, environment.merge");

        Deliveries.postSigned(r, push, Deliveries.SHARED_KEY);
        Deliveries.postSigned(r, push.replace("tstact0000001", "tstact0000003"), Deliveries.SHARED_KEY);
        Deliveries.postSigned(r, Deliveries.sample("push-feature.json"), Deliveries.SHARED_KEY);

        assertEquals(List.of("tstact0000002", "tstact0000003"), queuedActivities(p));
        r.jenkins.getQueue().clear();
    }

    @Test
    void latestPerEnvironmentNeverLetsAnOlderActivityCancelANewerQueuedOne() throws Exception {
        FreeStyleProject p = latestPerEnvironment("out-of-order", "environment.push, environment.merge");

        String newer = push.replace("tstact0000001", "tstact0000003")
                .replace(
                        "\"created_at\": \"2024-05-01T10:00:00.000000+00:00\"",
                        "\"created_at\": \"2024-05-01T11:00:00.000000+00:00\"");
        assertEquals(200, Deliveries.postSigned(r, newer, Deliveries.SHARED_KEY).getStatusCode());
        assertEquals(200, Deliveries.postSigned(r, push, Deliveries.SHARED_KEY).getStatusCode()); // older, arrives late

        assertEquals(List.of("tstact0000001", "tstact0000003"), queuedActivities(p), "the newer one stays queued");
        r.jenkins.getQueue().clear();
    }

    @Test
    void latestPerEnvironmentNeverFoldsActivitiesWithoutEnvironment() throws Exception {
        FreeStyleProject p = latestPerEnvironment("no-environment", "project.domain.*");

        for (String id : List.of("tstdomain0001", "tstdomain0002")) {
            String body = "{\"id\":\"" + id + "\",\"type\":\"project.domain.create\",\"project\":\"testproject123\","
                    + "\"state\":\"complete\",\"result\":\"success\",\"payload\":{\"domain\":{\"name\":\"shop.example\"}}}";
            assertEquals(
                    200, Deliveries.postSigned(r, body, Deliveries.SHARED_KEY).getStatusCode());
        }

        assertEquals(List.of("tstdomain0001", "tstdomain0002"), queuedActivities(p), "no shared 'project/null' key");
        r.jenkins.getQueue().clear();
    }

    /** A job that keeps "latest per environment" builds in the queue, where the test can see them. */
    private FreeStyleProject latestPerEnvironment(String name, String events) throws Exception {
        PlatformshTrigger t = trigger("");
        t.setEvents(events);
        t.setCoalesce("LATEST_PER_ENVIRONMENT");
        FreeStyleProject p = freestyle(name, t);
        p.setQuietPeriod(600);
        return p;
    }

    private List<String> queuedActivities(FreeStyleProject p) {
        return r.jenkins.getQueue().getItems(p).stream()
                .map(i -> i.getAction(PlatformshDeliveryAction.class)
                        .getVariables()
                        .get("PLATFORMSH_ACTIVITY_ID"))
                .sorted()
                .toList();
    }

    /** Refuses the build of one delivery, as a queue rule of another plugin might. */
    @TestExtension("latestPerEnvironmentKeepsTheQueuedBuildWhenTheNewOneIsRefused")
    public static class RefuseOneDelivery extends Queue.QueueDecisionHandler {
        @Override
        public boolean shouldSchedule(Queue.Task task, List<Action> actions) {
            return actions.stream()
                    .noneMatch(a -> a instanceof PlatformshDeliveryAction d
                            && "tstact0000003".equals(d.getVariables().get("PLATFORMSH_ACTIVITY_ID")));
        }
    }

    @Test
    void latestPerEnvironmentKeepsTheQueuedBuildWhenTheNewOneIsRefused() throws Exception {
        FreeStyleProject p = latestPerEnvironment("refused", "environment.push, environment.merge");

        assertEquals(200, Deliveries.postSigned(r, push, Deliveries.SHARED_KEY).getStatusCode());
        WebResponse refused =
                Deliveries.postSigned(r, push.replace("tstact0000001", "tstact0000003"), Deliveries.SHARED_KEY);
        // Nothing could be queued for this one: the sender is asked to retry...
        assertEquals(503, refused.getStatusCode(), refused.getContentAsString());
        // ...and the delivery already answered 200 keeps its build.
        List<Queue.Item> items = r.jenkins.getQueue().getItems(p);
        assertEquals(1, items.size(), items.toString());
        assertEquals(
                "tstact0000001",
                items.get(0)
                        .getAction(PlatformshDeliveryAction.class)
                        .getVariables()
                        .get("PLATFORMSH_ACTIVITY_ID"));
        r.jenkins.getQueue().clear();
    }

    @Test
    void everyDeliveryQueuesItsOwnBuild() throws Exception {
        FreeStyleProject p = freestyle("every", trigger("main"));
        p.setQuietPeriod(600);

        Deliveries.postSigned(r, push, Deliveries.SHARED_KEY);
        Deliveries.postSigned(r, push.replace("tstact0000001", "tstact0000003"), Deliveries.SHARED_KEY);

        assertEquals(2, r.jenkins.getQueue().getItems(p).size());
        r.jenkins.getQueue().clear();
    }

    @Test
    void payloadTextIsEscapedOnTheBuildPage() throws Exception {
        FreeStyleProject p = freestyle("fs", trigger(""));
        String evil = push.replace("Test Author", "<img src=x onerror=alert(1)>");

        assertEquals(200, Deliveries.postSigned(r, evil, Deliveries.SHARED_KEY).getStatusCode());
        r.waitUntilNoActivity();

        FreeStyleBuild b = p.getLastBuild();
        assertNotNull(b);
        String html = r.createWebClient().getPage(b).getWebResponse().getContentAsString();
        // Jelly's escape-by-default escapes '<' and '&' only; a lone '>' is harmless and stays as it is.
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)"), "the cause is shown, escaped");
        assertFalse(html.contains("<img src=x"), "never as markup");
    }

    @Test
    void triggerRenamedWithItsJobStillBuilds() throws Exception {
        FreeStyleProject p = freestyle("before", trigger(""));
        p.renameTo("after");

        assertEquals(200, Deliveries.postSigned(r, push, Deliveries.SHARED_KEY).getStatusCode());
        r.waitUntilNoActivity();
        assertNotNull(p.getLastBuild());
        assertEquals("after", p.getFullName());
    }

    @Test
    void aDisabledJobIsSkippedWithoutAskingForEndlessRetries() throws Exception {
        FreeStyleProject p = freestyle("off", trigger(""));
        p.disable();

        WebResponse first = Deliveries.postSigned(r, push, Deliveries.SHARED_KEY);
        assertEquals(200, first.getStatusCode(), first.getContentAsString());
        assertTrue(first.getContentAsString().startsWith("ignored"), first.getContentAsString());
        // The sender does not retry a 200; had it done so anyway, it would be a duplicate, not another 503.
        WebResponse again = Deliveries.postSigned(r, push, Deliveries.SHARED_KEY);
        assertTrue(again.getContentAsString().startsWith("duplicate"), again.getContentAsString());
        r.waitUntilNoActivity();
        assertNull(p.getLastBuild());
        assertEquals(
                "matched, but skipped: the job is disabled",
                PlatformshTriggers.get()
                        .service()
                        .log()
                        .newestFirst()
                        .get(1)
                        .targets()
                        .get(0)
                        .reason());
    }

    @Test
    void aDeclaredParameterCannotExpandVariablesInTheValue() throws Exception {
        FreeStyleProject p = freestyle("param", trigger(""));
        p.addProperty(new ParametersDefinitionProperty(new StringParameterDefinition("PLATFORMSH_COMMIT_MESSAGE", "")));
        CaptureEnvironmentBuilder capture = new CaptureEnvironmentBuilder();
        p.getBuildersList().add(capture);

        assertEquals(200, Deliveries.postSigned(r, push, Deliveries.SHARED_KEY).getStatusCode());
        r.waitUntilNoActivity();
        r.assertBuildStatusSuccess(p.getLastBuild());
        assertEquals("Fix the <b>cart</b> for $HOME users", capture.getEnvVars().get("PLATFORMSH_COMMIT_MESSAGE"));
    }

    @Test
    void declaredParametersGetValuesOfTheirOwnType() throws Exception {
        FreeStyleProject p = freestyle("typed", trigger(""));
        p.addProperty(new ParametersDefinitionProperty(
                new ChoiceParameterDefinition("PLATFORMSH_ENVIRONMENT", new String[] {"staging", "main"}, "where"),
                new BooleanParameterDefinition("PLATFORMSH_RESULT", true, "")));

        assertEquals(200, Deliveries.postSigned(r, push, Deliveries.SHARED_KEY).getStatusCode());
        r.waitUntilNoActivity();

        FreeStyleBuild b = p.getLastBuild();
        assertNotNull(b);
        ParametersAction parameters = b.getAction(ParametersAction.class);
        StringParameterValue choice = (StringParameterValue) parameters.getParameter("PLATFORMSH_ENVIRONMENT");
        assertEquals("main", choice.getValue());
        assertEquals("where", choice.getDescription(), "made by the choice definition itself");
        // PLATFORMSH_RESULT is "success": not "true", so the boolean definition makes it false, as a boolean.
        assertInstanceOf(BooleanParameterValue.class, parameters.getParameter("PLATFORMSH_RESULT"));
        assertFalse(((BooleanParameterValue) parameters.getParameter("PLATFORMSH_RESULT")).getValue());
    }

    @Test
    void aChoiceThatRefusesTheValueSkipsTheJobWithTheReason() throws Exception {
        FreeStyleProject p = freestyle("choice", trigger(""));
        p.addProperty(new ParametersDefinitionProperty(
                new ChoiceParameterDefinition("PLATFORMSH_ENVIRONMENT", new String[] {"staging", "production"}, "")));

        WebResponse rsp = Deliveries.postSigned(r, push, Deliveries.SHARED_KEY);
        assertEquals(200, rsp.getStatusCode());
        assertTrue(
                rsp.getContentAsString().startsWith("ignored"),
                "a retry would meet the same choice: " + rsp.getContentAsString());
        r.waitUntilNoActivity();
        assertNull(p.getLastBuild(), "never built with a value its parameter does not allow");
        String reason = PlatformshTriggers.get()
                .service()
                .log()
                .newestFirst()
                .get(0)
                .targets()
                .get(0)
                .reason();
        assertTrue(
                reason.startsWith("matched, but skipped: parameter PLATFORMSH_ENVIRONMENT does not accept the "
                        + "delivery's value (Illegal choice for parameter PLATFORMSH_ENVIRONMENT: main"),
                reason);
    }

    @Test
    void forgettingAStaleEntryKeepsARegistrationMadeSinceTheLookup() throws Exception {
        FreeStyleProject p = freestyle("again", trigger(""));
        PlatformshTriggers triggers = PlatformshTriggers.get();
        TriggerSpec looked = triggers.service().index().get("again");
        assertNotNull(looked);

        // The job registers anew (a rename, workflow-job re-adding its triggers) before the scheduler gives up on
        // the lookup it made: an equal spec, from another trigger instance.
        PlatformshTrigger replacement = trigger("");
        p.addTrigger(replacement);
        replacement.start(p, false);
        triggers.forget("again", looked);
        assertEquals(1, triggers.service().index().size(), "the live registration stays");

        assertEquals(200, Deliveries.postSigned(r, push, Deliveries.SHARED_KEY).getStatusCode());
        r.waitUntilNoActivity();
        assertNotNull(p.getLastBuild(), "and still builds");

        triggers.forget("again", triggers.service().index().get("again"));
        assertEquals(0, triggers.service().index().size(), "the entry that was looked up goes");
    }
}
