package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Result;
import io.jenkins.plugins.platformsh.trigger.PlatformshCause;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import jenkins.model.ParameterizedJobMixIn;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Declarative {@code triggers { platformsh(...) }}, the variables in Pipeline env, and the step. */
@WithJenkins
class PlatformshPipelineTest {

    private static final String DECLARATIVE =
            """
            pipeline {
              agent none
              triggers { platformsh(environments: 'main', coalesce: 'EVERY_DELIVERY') }
              stages {
                stage('env') {
                  steps {
                    echo "ENV=${env.PLATFORMSH_ENVIRONMENT} COMMIT=${env.PLATFORMSH_COMMIT}"
                  }
                }
                stage('activity') {
                  when { triggeredBy 'PlatformshCause' }
                  steps {
                    script {
                      def a = platformshActivity()
                      echo "STEP environment=${a.environment} type=${a.type} project=${a.payload.project}"
                      echo "AUTH=${a.payload.payload.environment.http_access} VARS=${a.payload.payload.deployment.variables}"
                    }
                  }
                }
              }
            }
            """;

    private JenkinsRule r;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        r.jenkins.setQuietPeriod(0);
        Deliveries.configureSharedKey("psh-key", Deliveries.SHARED_KEY);
    }

    @Test
    void declarativeTriggerRegistersAfterTheFirstRunAndBuildsWithVariables() throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "decl");
        p.setDefinition(new CpsFlowDefinition(DECLARATIVE, true));
        String push = Deliveries.sample("push-main.json");

        // Before its first run, a Declarative job has no trigger yet: nothing is built.
        String early = push.replace("tstact0000001", "tstact0000099");
        String answer = Deliveries.postSigned(r, early, Deliveries.SHARED_KEY).getContentAsString();
        assertTrue(answer.contains("ignored"), answer);
        r.waitUntilNoActivity();
        assertNull(p.getLastBuild());

        WorkflowRun first = r.buildAndAssertSuccess(p);
        assertEquals(1, first.getNumber());

        assertEquals(200, Deliveries.postSigned(r, push, Deliveries.SHARED_KEY).getStatusCode());
        r.waitUntilNoActivity();

        WorkflowRun second = p.getLastBuild();
        assertNotNull(second);
        assertEquals(2, second.getNumber());
        r.assertBuildStatusSuccess(second);
        assertNotNull(second.getCause(PlatformshCause.class));
        r.assertLogContains("ENV=main COMMIT=2222222222222222222222222222222222222222", second);
        r.assertLogContains("STEP environment=main type=environment.push project=testproject123", second);
        // The payload reaches the step redacted.
        r.assertLogNotContains("basic-auth-password-never-shown", second);
        r.assertLogNotContains("deployment-variable-never-shown", second);
        r.assertLogNotContains("log-line-that-is-never-kept", second);
    }

    @Test
    void anInvalidFilterInAJenkinsfileFailsWithTheFormsMessage() throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "invalid");
        p.setDefinition(new CpsFlowDefinition(
                "pipeline {\n agent none\n triggers { platformsh(states: 'done') }\n"
                        + " stages { stage('s') { steps { echo 'stage-ran' } } }\n}",
                true));
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("'done' is not an activity state", b);
        r.assertLogNotContains("stage-ran", b);
        assertNull(ParameterizedJobMixIn.getTrigger(p, PlatformshTrigger.class), "no trigger that can never fire");
    }

    @Test
    void stepFailsClearlyWhenTheBuildWasNotStartedByADelivery() throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "manual");
        p.setDefinition(new CpsFlowDefinition("platformshActivity()", true));

        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("platformshActivity(): this build was not started by a Platform.sh delivery", b);
    }

    @Test
    void scriptedPipelineWithTheTriggerSetInJava() throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "scripted");
        p.setDefinition(new CpsFlowDefinition(
                "echo \"BRANCH=${env.PLATFORMSH_BRANCH} EVENT=${platformshActivity().type}\"", true));
        PlatformshTrigger t = new PlatformshTrigger();
        t.setEvents("environment.*");
        p.addTrigger(t); // WorkflowJob starts it

        assertEquals(
                200,
                Deliveries.postSigned(r, Deliveries.sample("push-main.json"), Deliveries.SHARED_KEY)
                        .getStatusCode());
        r.waitUntilNoActivity();

        WorkflowRun b = p.getLastBuild();
        assertNotNull(b);
        r.assertBuildStatusSuccess(b);
        r.assertLogContains("EVENT=environment.push", b);
    }
}
