package io.jenkins.plugins.platformsh.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Result;
import io.jenkins.plugins.platformsh.trigger.PlatformshTriggers;
import org.htmlunit.WebResponse;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** {@code waitForPlatformsh}: released by a verified delivery during or before it, failing, timing out, aborted. */
@WithJenkins
class PlatformshWaitStepTest {

    private JenkinsRule r;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        WaitDeliveries.configureKey();
    }

    private WorkflowRun start(String name, String script) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p.scheduleBuild2(0).waitForStart();
    }

    @Test
    void aDeliveryDuringTheWaitReleasesItWithTheActivityAndItsUrl() throws Exception {
        WorkflowRun b = start(
                "during",
                """
                def a = waitForPlatformsh(environment: 'pr-42', commit: '%s', timeout: 10)
                echo "URL=${a.url} RESULT=${a.result} COMMIT=${a.commit} VARS=${a.payload.payload.deployment.variables}"
                """
                        .formatted(WaitDeliveries.C1));
        WaitDeliveries.awaitWaiting(1);
        WebResponse other = WaitDeliveries.post(
                r, WaitDeliveries.push("x0", "pr-42", WaitDeliveries.C2, "success"), WaitDeliveries.KEY);
        assertEquals(
                "ignored: no job's trigger matches this delivery",
                other.getContentAsString().trim(),
                "another commit does not release it");
        assertEquals(1, WaitDeliveries.waiting().size());
        WebResponse rsp = WaitDeliveries.post(
                r, WaitDeliveries.push("a1", "pr-42", WaitDeliveries.C1, "success"), WaitDeliveries.KEY);
        assertEquals(200, rsp.getStatusCode());
        assertEquals("accepted", rsp.getContentAsString().trim(), "a released wait counts as accepted");
        r.assertBuildStatusSuccess(r.waitForCompletion(b));
        r.assertLogContains("URL=https://pr-42.example.site/ RESULT=success COMMIT=" + WaitDeliveries.C1, b);
        r.assertLogNotContains("s3cr3t-db", b);
        r.assertLogContains("Waiting up to 10 minutes", b);
        assertEquals(0, WaitDeliveries.waiting().size());
        String id =
                PlatformshTriggers.get().service().log().newestFirst().get(0).deliveryId();
        assertEquals(1, PlatformshWaitRegistry.get().releasedBy(id).size());
        assertTrue(PlatformshWaitRegistry.get().releasedBy(id).get(0).startsWith("during #1: "));
    }

    @Test
    void aDeliveryAfterTheBuildStartedButBeforeTheStepBeganCounts() throws Exception {
        // The first wait stands for earlier stages: while it waits, pr-42's delivery arrives.
        WorkflowRun b = start(
                "before",
                """
                waitForPlatformsh(environment: 'gate', timeout: 10)
                echo 'GATE PASSED'
                def a = waitForPlatformsh(environment: 'pr-42', timeout: 10)
                echo "ID=${a.id}"
                """);
        WaitDeliveries.awaitWaiting(1);
        assertEquals(
                "ignored: no job's trigger matches this delivery",
                WaitDeliveries.post(
                                r,
                                WaitDeliveries.push("early", "pr-42", WaitDeliveries.C1, "success"),
                                WaitDeliveries.KEY)
                        .getContentAsString()
                        .trim());
        WaitDeliveries.post(r, WaitDeliveries.push("g1", "gate", WaitDeliveries.C1, "success"), WaitDeliveries.KEY);
        r.assertBuildStatusSuccess(r.waitForCompletion(b));
        r.assertLogContains("ID=early", b);
    }

    @Test
    void aFailedDeploymentFailsTheStepWithTheActivitysTextAndLink() throws Exception {
        WorkflowRun b = start("fails", "waitForPlatformsh(environment: 'pr-42', timeout: 10)\necho 'NOT REACHED'");
        WaitDeliveries.awaitWaiting(1);
        WaitDeliveries.post(r, WaitDeliveries.push("f1", "pr-42", WaitDeliveries.C1, "failure"), WaitDeliveries.KEY);
        r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(b));
        r.assertLogContains("Platform.sh reported a failed deployment: Jane pushed to pr-42", b);
        r.assertLogContains("https://api.example/projects/proj1/activities/f1", b);
        r.assertLogNotContains("NOT REACHED", b);
    }

    @Test
    void withFailOnFailureFalseAFailedDeploymentIsReturned() throws Exception {
        WorkflowRun b = start(
                "returns",
                """
                def a = waitForPlatformsh(environment: 'pr-42', failOnFailure: false, timeout: 10)
                echo "RESULT=${a.result}"
                """);
        WaitDeliveries.awaitWaiting(1);
        WaitDeliveries.post(r, WaitDeliveries.push("f2", "pr-42", WaitDeliveries.C1, "failure"), WaitDeliveries.KEY);
        r.assertBuildStatusSuccess(r.waitForCompletion(b));
        r.assertLogContains("RESULT=failure", b);
    }

    @Test
    void aTimeoutSaysWhatItWaitedForAndWhyEachDeliverySeenDidNotCount() throws Exception {
        WorkflowRun b = start(
                "times-out",
                """
                waitForPlatformsh(environment: 'gate', timeout: 10)
                waitForPlatformsh(projects: 'proj1', environment: 'pr-42', commit: '%s', timeout: 1, unit: 'SECONDS')
                """
                        .formatted(WaitDeliveries.C1));
        WaitDeliveries.awaitWaiting(1);
        WaitDeliveries.post(r, WaitDeliveries.push("o1", "pr-41", WaitDeliveries.C1, "success"), WaitDeliveries.KEY);
        WaitDeliveries.post(r, WaitDeliveries.push("o2", "pr-42", WaitDeliveries.C2, "success"), WaitDeliveries.KEY);
        WaitDeliveries.post(r, WaitDeliveries.push("g2", "gate", WaitDeliveries.C1, "success"), WaitDeliveries.KEY);
        r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(b));
        r.assertLogContains(
                "waitForPlatformsh(): timed out after 1 seconds waiting for environment.push, "
                        + "environment.merge, environment.redeploy in state complete, environment pr-42, project proj1, commit "
                        + WaitDeliveries.C1,
                b);
        r.assertLogContains(
                "(project proj1, activity o2): commit " + WaitDeliveries.C2 + " is not " + WaitDeliveries.C1, b);
        r.assertLogContains("(project proj1, activity o1): environment pr-41 is not one of [pr-42]", b);
        r.assertLogContains("(project proj1, activity g2): environment gate is not one of [pr-42]", b);
        assertEquals(0, WaitDeliveries.waiting().size());
    }

    @Test
    void anAbortStopsTheWaitAndUnregistersIt() throws Exception {
        WorkflowRun b = start("aborted", "waitForPlatformsh(environment: 'pr-42', timeout: 10)");
        WaitDeliveries.awaitWaiting(1);
        b.doStop();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));
        assertEquals(0, WaitDeliveries.waiting().size());
        assertEquals(
                "ignored: no job's trigger matches this delivery",
                WaitDeliveries.post(
                                r,
                                WaitDeliveries.push("late", "pr-42", WaitDeliveries.C1, "success"),
                                WaitDeliveries.KEY)
                        .getContentAsString()
                        .trim(),
                "nothing left to release");
    }

    @Test
    void aMissingOrBadSignatureNeverReleasesAWait() throws Exception {
        WorkflowRun b =
                start("unsigned", "def a = waitForPlatformsh(environment: 'pr-42', timeout: 10)\necho \"ID=${a.id}\"");
        WaitDeliveries.awaitWaiting(1);
        assertEquals(
                401,
                WaitDeliveries.post(r, WaitDeliveries.push("u1", "pr-42", WaitDeliveries.C1, "success"), null)
                        .getStatusCode());
        assertEquals(
                403,
                WaitDeliveries.post(
                                r,
                                WaitDeliveries.push("u2", "pr-42", WaitDeliveries.C1, "success"),
                                WaitDeliveries.WRONG_KEY)
                        .getStatusCode());
        assertEquals(1, WaitDeliveries.waiting().size());
        assertTrue(b.isBuilding());
        // Then a good one: only it releases the step.
        WaitDeliveries.post(r, WaitDeliveries.push("u3", "pr-42", WaitDeliveries.C1, "success"), WaitDeliveries.KEY);
        r.assertBuildStatusSuccess(r.waitForCompletion(b));
        r.assertLogContains("ID=u3", b);
    }

    @Test
    void aWaitsSharedKeyIsNotATokenAndItsTokenIsNotASharedKey() throws Exception {
        String token = "7d1f0c3b9a8e4d2c6b5a4f3e2d1c0b9a";
        com.cloudbees.plugins.credentials.SystemCredentialsProvider store =
                com.cloudbees.plugins.credentials.SystemCredentialsProvider.getInstance();
        store.getCredentials()
                .add(new org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl(
                        com.cloudbees.plugins.credentials.CredentialsScope.GLOBAL,
                        "wait-key",
                        "wait key",
                        hudson.util.Secret.fromString("1234")));
        store.getCredentials()
                .add(new org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl(
                        com.cloudbees.plugins.credentials.CredentialsScope.GLOBAL,
                        "wait-token",
                        "wait token",
                        hudson.util.Secret.fromString(token)));
        store.save();
        WorkflowRun b = start(
                "roles",
                """
                def a = waitForPlatformsh(environment: 'pr-42', credentialsId: 'wait-key', tokenCredentialsId:                 'wait-token', timeout: 10)
                echo "ID=${a.id}"
                """);
        WaitDeliveries.awaitWaiting(1);
        assertEquals(
                403,
                WaitDeliveries.postWithToken(
                                r, WaitDeliveries.push("r1", "pr-42", WaitDeliveries.C1, "success"), "1234")
                        .getStatusCode(),
                "the shared key is refused as a token");
        assertEquals(1, WaitDeliveries.waiting().size());
        WebResponse ok = WaitDeliveries.postWithToken(
                r, WaitDeliveries.push("r2", "pr-42", WaitDeliveries.C1, "success"), token);
        assertEquals("accepted", ok.getContentAsString().trim());
        r.assertBuildStatusSuccess(r.waitForCompletion(b));
        r.assertLogContains("ID=r2", b);
    }

    @Test
    void oneCredentialInBothRolesFailsTheStep() throws Exception {
        WorkflowRun b = start(
                "both",
                "waitForPlatformsh(environment: 'pr-42', credentialsId: 'k', tokenCredentialsId: 'k', timeout: 10)");
        r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(b));
        r.assertLogContains("is already the shared key", b);
    }

    @Test
    void aWaitNamingTheJobsOwnKeyIsReleasedOnlyByDeliveriesVerifiedWithIt() throws Exception {
        com.cloudbees.plugins.credentials.SystemCredentialsProvider store =
                com.cloudbees.plugins.credentials.SystemCredentialsProvider.getInstance();
        store.getCredentials()
                .add(new org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl(
                        com.cloudbees.plugins.credentials.CredentialsScope.GLOBAL,
                        "job-key",
                        "job key",
                        hudson.util.Secret.fromString(WaitDeliveries.WRONG_KEY)));
        store.save();
        WorkflowRun b = start(
                "own-key",
                """
                def a = waitForPlatformsh(environment: 'pr-42', credentialsId: 'job-key', timeout: 10)
                echo "ID=${a.id}"
                """);
        WaitDeliveries.awaitWaiting(1);
        assertEquals(
                "ignored: no job's trigger matches this delivery",
                WaitDeliveries.post(
                                r, WaitDeliveries.push("k1", "pr-42", WaitDeliveries.C1, "success"), WaitDeliveries.KEY)
                        .getContentAsString()
                        .trim(),
                "the global key is not the job's key");
        assertEquals(1, WaitDeliveries.waiting().size());
        assertEquals(
                "accepted",
                WaitDeliveries.post(
                                r,
                                WaitDeliveries.push("k2", "pr-42", WaitDeliveries.C1, "success"),
                                WaitDeliveries.WRONG_KEY)
                        .getContentAsString()
                        .trim());
        r.assertBuildStatusSuccess(r.waitForCompletion(b));
        r.assertLogContains("ID=k2", b);
    }

    @Test
    void theDeliveriesPageListsWaitingStepsAndWhichWaitsADeliveryReleased() throws Exception {
        WorkflowRun b = start("paged", "waitForPlatformsh(environment: 'pr-<b>42</b>', timeout: 10)");
        WaitDeliveries.awaitWaiting(1);
        String waiting = r.createWebClient()
                .goTo("manage/platformsh-deliveries/")
                .getElementById("platformsh-waits")
                .asNormalizedText();
        assertTrue(waiting.contains("paged #1") && waiting.contains("environment pr-<b>42</b>"), waiting);
        WaitDeliveries.post(
                r, WaitDeliveries.push("p1", "pr-<b>42</b>", WaitDeliveries.C1, "success"), WaitDeliveries.KEY);
        r.assertBuildStatusSuccess(r.waitForCompletion(b));
        org.htmlunit.html.HtmlPage page = r.createWebClient().goTo("manage/platformsh-deliveries/");
        assertTrue(page.getElementById("platformsh-waits") == null);
        assertTrue(page.asNormalizedText().contains("No build is waiting"));
        String released = page.getElementById("platformsh-released-waits").asNormalizedText();
        assertTrue(released.contains("activity p1") && released.contains("paged #1: environment.push"), released);
        assertTrue(!page.getWebResponse().getContentAsString().contains("<b>42"), "escaped");
    }

    @Test
    void theAliasesEnvironmentAndProjectAreShownAsTheListNames() {
        PlatformshWaitStep step = new PlatformshWaitStep();
        step.setEnvironment("pr-42");
        step.setProject("proj1");
        step.setTimeout(5);
        assertEquals(
                java.util.Map.of("environments", "pr-42", "projects", "proj1", "timeout", 5),
                org.jenkinsci.plugins.structs.describable.DescribableModel.uninstantiate_(step));
    }

    @Test
    void invalidArgumentsFailAtOnceWithTheFieldsMessage() throws Exception {
        WorkflowRun b = start("invalid", "waitForPlatformsh(commit: env.NOT_SET_ANYWHERE, timeout: 10)");
        r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(b));
        r.assertLogContains("waitForPlatformsh(): commit: The commit is empty", b);
        WorkflowRun c = start("bad-unit", "waitForPlatformsh(timeout: 3, unit: 'DAYS')");
        r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(c));
        r.assertLogContains("timeout must be a positive number of SECONDS, MINUTES or HOURS", c);
        assertEquals(0, WaitDeliveries.waiting().size());
    }
}
