package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.TaskListener;
import io.jenkins.plugins.platformsh.trigger.PlatformshCause;
import io.jenkins.plugins.platformsh.trigger.PlatformshDeliveryAction;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import io.jenkins.plugins.platformsh.trigger.PlatformshTriggers;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Issue 21, point 6: a route URL with user information and a {@code ?token=} in the activity's text reach no build
 * variable, console, cause, build.xml or build page.
 */
@WithJenkins
class PlatformshSecretsInBuildsTest {

    private static final String ROUTE_PASSWORD = "Pw0rdOfTheRoute";
    private static final String TEXT_TOKEN = "T0kenInTheText";
    private static final List<String> SECRETS = List.of(ROUTE_PASSWORD, TEXT_TOKEN);

    private JenkinsRule r;
    private String body;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        r.jenkins.setQuietPeriod(0);
        Deliveries.configureSharedKey("psh-key", Deliveries.SHARED_KEY);
        String push = Deliveries.sample("push-main.json");
        body = push.replace(
                        "\"https://main-abc1234.example.test/\": {\"type\": \"upstream\"",
                        "\"https://deploy:" + ROUTE_PASSWORD + "@main-abc1234.example.test/\": {\"type\": \"upstream\"")
                .replace(
                        "\"text\": \"Test Author pushed to main\"",
                        "\"text\": \"Test Author pushed to main, see https://ci.example.test/job?token=" + TEXT_TOKEN
                                + "\"");
        assertFalse(body.equals(push), "the sample has the route and the text this test changes");
    }

    private void deliver() throws Exception {
        assertEquals(200, Deliveries.postSigned(r, body, Deliveries.SHARED_KEY).getStatusCode());
        r.waitUntilNoActivity();
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : SECRETS) {
            assertFalse(text.contains(secret), () -> secret + " in " + where + ": " + text);
        }
    }

    @Test
    void aFreestyleBuildKeepsNoSecretInItsVariablesCauseRecordOrPage() throws Exception {
        FreeStyleProject p = Deliveries.freestyle(r, "fs", new PlatformshTrigger());
        deliver();
        FreeStyleBuild b = p.getLastBuild();
        assertNotNull(b, "a build was queued");

        var env = b.getEnvironment(TaskListener.NULL);
        assertEquals("https://<redacted>@main-abc1234.example.test/", env.get("PLATFORMSH_URL"));
        assertEquals(
                "Test Author pushed to main, see https://ci.example.test/job?token=<redacted>",
                env.get("PLATFORMSH_TEXT"));
        assertNoSecret("the environment", env.toString());

        PlatformshDeliveryAction action = b.getAction(PlatformshDeliveryAction.class);
        assertNoSecret("the variables", String.valueOf(action.getVariables()));
        assertNoSecret("the record", String.valueOf(action.getActivity()));
        assertNoSecret("the cause", b.getCause(PlatformshCause.class).getShortDescription());
        assertNoSecret(
                "build.xml", Files.readString(new File(b.getRootDir(), "build.xml").toPath(), StandardCharsets.UTF_8));

        HtmlPage page = r.createWebClient().getPage(b);
        assertNoSecret("the build page", page.getWebResponse().getContentAsString());
        HtmlAnchor url = page.getFirstByXPath("//a[@class='platformsh-url']");
        assertNotNull(url, "the URL is still a link");
        assertEquals("https://main-abc1234.example.test/", url.getHrefAttribute(), "to the URL without credentials");
        assertEquals(
                "https://<redacted>@main-abc1234.example.test/",
                url.getTextContent().trim());

        assertNoSecret(
                "the deliveries log",
                String.valueOf(PlatformshTriggers.get().service().log().newestFirst().stream()
                        .map(e -> e.activityId() + " " + e.environment() + " " + e.reason() + " " + e.targets())
                        .toList()));
    }

    @Test
    void aPipelineSeesNoSecretInEnvOrTheStep() throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "pipe");
        p.setDefinition(new CpsFlowDefinition(
                """
                echo "URL=${env.PLATFORMSH_URL}"
                echo "ROUTES=${env.PLATFORMSH_ROUTES}"
                echo "TEXT=${env.PLATFORMSH_TEXT}"
                def a = platformshActivity()
                echo "STEP url=${a.url} text=${a.text}"
                """,
                true));
        p.addTrigger(new PlatformshTrigger());
        deliver();
        WorkflowRun b = p.getLastBuild();
        assertNotNull(b, "a build was queued");
        r.assertBuildStatusSuccess(b);
        r.assertLogContains("URL=https://<redacted>@main-abc1234.example.test/", b);
        r.assertLogContains("TEXT=Test Author pushed to main, see https://ci.example.test/job?token=<redacted>", b);
        r.assertLogContains("STEP url=https://<redacted>@main-abc1234.example.test/ text=Test Author", b);
        for (String secret : SECRETS) {
            r.assertLogNotContains(secret, b);
        }
        assertNoSecret(
                "build.xml", Files.readString(new File(b.getRootDir(), "build.xml").toPath(), StandardCharsets.UTF_8));
    }
}
