package io.jenkins.plugins.platformsh.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Result;
import hudson.util.Secret;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The two measured scenarios of issue 21: an old signed delivery sent again while a build waits, and a timeout
 * message that listed another project's delivery verified only by another job's key.
 */
@WithJenkins
class PlatformshWaitOldAndForeignDeliveriesTest {

    private JenkinsRule r;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        WaitDeliveries.configureKey();
    }

    private WorkflowJob job(String name, String script) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    @Test
    void theSameSignedBytesSentAgainWhileTheBuildWaitsDoNotReleaseIt() throws Exception {
        WorkflowJob p = job(
                "pr-60-e2e",
                """
                def a = waitForPlatformsh(environment: 'pr-60', commit: '%s', failOnFailure: false, timeout: 10)
                echo "ID=${a.id} RESULT=${a.result}"
                """
                        .formatted(WaitDeliveries.C1));
        String old = WaitDeliveries.push("old-deploy", "pr-60", WaitDeliveries.C1, "failure");
        assertEquals(
                "ignored: no job's trigger matches this delivery",
                WaitDeliveries.post(r, old, WaitDeliveries.KEY)
                        .getContentAsString()
                        .trim());
        Thread.sleep(20); // not an assertion: the build's start (in milliseconds) must come after that delivery
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        WaitDeliveries.awaitWaiting(1);

        assertEquals(
                "duplicate: this delivery was already received",
                WaitDeliveries.post(r, old, WaitDeliveries.KEY)
                        .getContentAsString()
                        .trim());
        assertEquals(1, WaitDeliveries.waiting().size(), "the copy neither ends nor fails the wait");
        assertTrue(b.isBuilding());

        WaitDeliveries.post(
                r, WaitDeliveries.push("new-deploy", "pr-60", WaitDeliveries.C1, "success"), WaitDeliveries.KEY);
        r.assertBuildStatusSuccess(r.waitForCompletion(b));
        r.assertLogContains("ID=new-deploy RESULT=success", b);
    }

    @Test
    void aTimeoutListsNothingVerifiedOnlyByAnotherJobsKey() throws Exception {
        SystemCredentialsProvider store = SystemCredentialsProvider.getInstance();
        store.getCredentials()
                .add(new StringCredentialsImpl(
                        CredentialsScope.GLOBAL,
                        "other-key",
                        "other job's key",
                        Secret.fromString(WaitDeliveries.WRONG_KEY)));
        store.save();
        // Another job names its own key: deliveries signed with it are verified, for that job only.
        WorkflowRun other = job(
                        "other", "waitForPlatformsh(environment: 'never', credentialsId: 'other-key', timeout: 10)")
                .scheduleBuild2(0)
                .waitForStart();
        WaitDeliveries.awaitWaiting(1);
        WorkflowRun mine = job(
                        "mine",
                        """
                        waitForPlatformsh(environment: 'gate', timeout: 10)
                        waitForPlatformsh(environment: 'pr-none', timeout: 1, unit: 'SECONDS')
                        """)
                .scheduleBuild2(0)
                .waitForStart();
        WaitDeliveries.awaitWaiting(2);

        String foreign = WaitDeliveries.push("foreign-activity", "pr-60", WaitDeliveries.C1, "success")
                .replace("proj1", "foreignproject");
        assertEquals(
                200,
                WaitDeliveries.post(r, foreign, WaitDeliveries.WRONG_KEY).getStatusCode(),
                "verified, for 'other'");
        WaitDeliveries.post(
                r, WaitDeliveries.push("visible-activity", "pr-1", WaitDeliveries.C1, "success"), WaitDeliveries.KEY);
        WaitDeliveries.post(r, WaitDeliveries.push("g1", "gate", WaitDeliveries.C1, "success"), WaitDeliveries.KEY);

        r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(mine));
        r.assertLogContains("waitForPlatformsh(): timed out after 1 seconds", mine);
        r.assertLogContains(
                "(project proj1, activity visible-activity): environment pr-1 is not one of [pr-none]", mine);
        r.assertLogNotContains("foreign-activity", mine);
        r.assertLogNotContains("foreignproject", mine);
        r.assertLogNotContains("environment pr-60", mine);

        other.doStop();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(other));
    }
}
