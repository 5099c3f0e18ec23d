package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.ExtensionList;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import io.jenkins.plugins.platformsh.trigger.PlatformshCause;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import javaposse.jobdsl.plugin.ExecuteDslScripts;
import javaposse.jobdsl.plugin.GlobalJobDslSecurityConfiguration;
import jenkins.model.ParameterizedJobMixIn;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The forms of docs/job-dsl.md, through the Job DSL plugin's dynamic DSL: the jobs they make build on a delivery. */
@WithJenkins
class PlatformshJobDslTest {

    private JenkinsRule r;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        r.jenkins.setQuietPeriod(0);
        Deliveries.configureSharedKey("psh-key", Deliveries.SHARED_KEY);
        // The seed runs as the system here; script approval is Job DSL's business, not this plugin's.
        ExtensionList.lookupSingleton(GlobalJobDslSecurityConfiguration.class).setUseScriptSecurity(false);
    }

    private void seed(String script) throws Exception {
        FreeStyleProject seed = r.createFreeStyleProject("seed");
        ExecuteDslScripts step = new ExecuteDslScripts();
        step.setScriptText(script);
        seed.getBuildersList().add(step);
        r.buildAndAssertSuccess(seed);
    }

    @Test
    void pipelineJobWithTheTriggerInItsProperties() throws Exception {
        seed(
                """
                pipelineJob('deploy-main') {
                  properties {
                    pipelineTriggers {
                      triggers {
                        platformsh {
                          environments('main')
                          events('environment.push environment.merge')
                        }
                      }
                    }
                  }
                  definition {
                    cps {
                      script('echo "DSL ENV=${env.PLATFORMSH_ENVIRONMENT} TYPE=${platformshActivity().type}"')
                      sandbox()
                    }
                  }
                }
                """);
        WorkflowJob p = r.jenkins.getItemByFullName("deploy-main", WorkflowJob.class);
        assertNotNull(p);
        PlatformshTrigger t = ParameterizedJobMixIn.getTrigger(p, PlatformshTrigger.class);
        assertNotNull(t, "the DSL made a Platform.sh trigger");
        assertEquals("main", t.getEnvironments());

        String feature = Deliveries.sample("push-feature.json");
        assertTrue(
                Deliveries.postSigned(r, feature, Deliveries.SHARED_KEY)
                        .getContentAsString()
                        .contains("ignored"),
                "the DSL's filter applies");
        assertTrue(Deliveries.postSigned(r, Deliveries.sample("push-main.json"), Deliveries.SHARED_KEY)
                .getContentAsString()
                .contains("accepted"));
        r.waitUntilNoActivity();
        WorkflowRun b = p.getLastBuild();
        assertNotNull(b);
        r.assertBuildStatusSuccess(b);
        r.assertLogContains("DSL ENV=main TYPE=environment.push", b);
    }

    @Test
    void freestyleJobWithTheTriggerInItsTriggers() throws Exception {
        seed(
                """
                job('deploy-freestyle') {
                  triggers {
                    platformsh {
                      environments('main')
                      coalesce('EVERY_DELIVERY')
                    }
                  }
                }
                """);
        FreeStyleProject p = r.jenkins.getItemByFullName("deploy-freestyle", FreeStyleProject.class);
        assertNotNull(p);
        PlatformshTrigger t = p.getTrigger(PlatformshTrigger.class);
        assertNotNull(t);
        assertEquals("main", t.getEnvironments());
        assertEquals("EVERY_DELIVERY", t.getCoalesce());
        assertNull(p.getLastBuild());

        assertTrue(
                Deliveries.postSigned(r, Deliveries.sample("push-main.json"), Deliveries.SHARED_KEY)
                        .getContentAsString()
                        .contains("accepted"),
                "the job made by the DSL is registered without a save");
        r.waitUntilNoActivity();
        FreeStyleBuild b = p.getLastBuild();
        assertNotNull(b);
        assertNotNull(b.getCause(PlatformshCause.class));
    }

    @Test
    void aJobsOwnSharedKeyAndTokenEachInTheirRole() throws Exception {
        String token = "9c0e4b7f2d6a4e1b8f3c5d7a9e2b4c6d";
        Deliveries.addSecretText("job-key", Deliveries.OTHER_KEY);
        Deliveries.addSecretText("job-token", token);
        seed(
                """
                job('own-keys') {
                  triggers {
                    platformsh {
                      environments('main')
                      credentialsId('job-key')
                      tokenCredentialsId('job-token')
                    }
                  }
                }
                """);
        FreeStyleProject p = r.jenkins.getItemByFullName("own-keys", FreeStyleProject.class);
        assertNotNull(p);
        PlatformshTrigger t = p.getTrigger(PlatformshTrigger.class);
        assertNotNull(t);
        assertEquals("job-key", t.getCredentialsId());
        assertEquals("job-token", t.getTokenCredentialsId());

        String push = Deliveries.sample("push-main.json");
        assertEquals(
                403,
                Deliveries.post(r, "platformsh-webhook/?token=" + Deliveries.OTHER_KEY, push, java.util.Map.of())
                        .getStatusCode(),
                "the shared key is not a token");
        assertTrue(Deliveries.post(r, "platformsh-webhook/?token=" + token, push, java.util.Map.of())
                .getContentAsString()
                .contains("accepted"));
        r.waitUntilNoActivity();
        assertEquals(1, p.getBuilds().size());
    }

    @Test
    void aWrongFilterFailsTheSeedWithTheFormsMessage() throws Exception {
        FreeStyleProject seed = r.createFreeStyleProject("seed");
        ExecuteDslScripts step = new ExecuteDslScripts();
        step.setScriptText("job('bad') { triggers { platformsh { states('done') } } }");
        seed.getBuildersList().add(step);
        FreeStyleBuild b = r.buildAndAssertStatus(hudson.model.Result.FAILURE, seed);
        r.assertLogContains("'done' is not an activity state", b);
    }
}
