package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import hudson.model.FreeStyleProject;
import hudson.model.Result;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.ParameterizedJobMixIn;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Filter lists are capped where they are configured; a trigger saved with a longer list still loads and works. */
@WithJenkins
class PlatformshFilterCapsTest {

    private JenkinsRule r;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        r.jenkins.setQuietPeriod(0);
        Deliveries.configureSharedKey("psh-key", Deliveries.SHARED_KEY);
    }

    private static String projects(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n - 1; i++) {
            out.add("p" + i);
        }
        out.add("testproject123"); // the sample's project, last
        return String.join(", ", out);
    }

    @Test
    void aJenkinsfileListingTooManyProjectsFailsWithTheCap() throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "too-many");
        p.setDefinition(new CpsFlowDefinition(
                "pipeline {\n agent none\n triggers { platformsh(projects: '" + projects(101) + "') }\n"
                        + " stages { stage('s') { steps { echo 'stage-ran' } } }\n}",
                true));
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("At most 100 project ids in one filter; this one lists 101", b);
        assertNull(ParameterizedJobMixIn.getTrigger(p, PlatformshTrigger.class));
    }

    @Test
    void theWaitStepRefusesTooManyEnvironments() throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "wait-too-many");
        StringBuilder envs = new StringBuilder();
        for (int i = 0; i < 201; i++) {
            envs.append(i == 0 ? "" : " ").append("pr-").append(i);
        }
        p.setDefinition(new CpsFlowDefinition("waitForPlatformsh(environments: '" + envs + "', timeout: 10)", true));
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("waitForPlatformsh(): environments: At most 200 environment names", b);
    }

    @Test
    void aTriggerSavedWithMoreProjectsThanTheCapStillStartsAndBuilds() throws Exception {
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
                      <projects>%s</projects>
                      <environments>main</environments>
                      <excludedEnvironments></excludedEnvironments>
                      <credentialsId></credentialsId>
                      <tokenCredentialsId></tokenCredentialsId>
                      <coalesce>EVERY_DELIVERY</coalesce>
                    </io.jenkins.plugins.platformsh.trigger.PlatformshTrigger>
                  </triggers>
                </project>
                """
                        .formatted(projects(150));
        FreeStyleProject p = (FreeStyleProject) r.jenkins.createProjectFromXML(
                "saved-long-list", new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertNotNull(p.getTrigger(PlatformshTrigger.class));
        assertEquals(
                200,
                Deliveries.postSigned(r, Deliveries.sample("push-main.json"), Deliveries.SHARED_KEY)
                        .getStatusCode());
        r.waitUntilNoActivity();
        assertNotNull(p.getLastBuild(), "the saved trigger is active");
    }
}
