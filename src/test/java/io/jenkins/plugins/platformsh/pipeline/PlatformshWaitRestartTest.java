package io.jenkins.plugins.platformsh.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** A wait survives a controller restart and is released by a delivery after it. */
class PlatformshWaitRestartTest {

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void aWaitResumesAfterARestart() throws Throwable {
        sessions.then(r -> {
            WaitDeliveries.configureKey();
            WorkflowJob p = r.createProject(WorkflowJob.class, "durable");
            p.setDefinition(new CpsFlowDefinition(
                    "def a = waitForPlatformsh(environment: 'pr-42', timeout: 30)\necho \"ID=${a.id} URL=${a.url}\"",
                    true));
            p.scheduleBuild2(0).waitForStart();
            WaitDeliveries.awaitWaiting(1);
        });
        sessions.then(r -> {
            WorkflowRun b =
                    r.jenkins.getItemByFullName("durable", WorkflowJob.class).getBuildByNumber(1);
            WaitDeliveries.awaitWaiting(1); // registered again by onResume
            WaitDeliveries.post(
                    r, WaitDeliveries.push("after", "pr-42", WaitDeliveries.C1, "success"), WaitDeliveries.KEY);
            r.assertBuildStatusSuccess(r.waitForCompletion(b));
            r.assertLogContains("Waiting again after a restart", b);
            r.assertLogContains("ID=after URL=https://pr-42.example.site/", b);
            assertEquals(0, WaitDeliveries.waiting().size());
        });
    }
}
