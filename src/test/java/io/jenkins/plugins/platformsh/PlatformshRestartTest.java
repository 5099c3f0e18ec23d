package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Label;
import hudson.model.ParametersAction;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.Queue;
import hudson.model.StringParameterDefinition;
import hudson.model.queue.CauseOfBlockage;
import hudson.model.queue.QueueTaskDispatcher;
import io.jenkins.plugins.platformsh.store.StateFiles;
import io.jenkins.plugins.platformsh.trigger.PlatformshCause;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import io.jenkins.plugins.platformsh.trigger.PlatformshTriggers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.CaptureEnvironmentBuilder;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** What a delivery leaves behind survives a restart: the de-duplication memory, the log, and builds still queued. */
class PlatformshRestartTest {

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    private static PlatformshTrigger mainOnly() {
        PlatformshTrigger t = new PlatformshTrigger();
        t.setEnvironments("main");
        t.setCoalesce("EVERY_DELIVERY");
        return t;
    }

    private static void setUp(JenkinsRule r) throws Exception {
        r.jenkins.setQuietPeriod(0);
        Deliveries.configureSharedKey("psh-key", Deliveries.SHARED_KEY);
    }

    @Test
    void aRetryAfterARestartIsADuplicateAndTheLogStillExplainsTheFirstDelivery() throws Throwable {
        String push = Deliveries.sample("push-main.json");
        String[] firstDelivery = new String[1];
        sessions.then(r -> {
            setUp(r);
            FreeStyleProject p = r.createFreeStyleProject("deploy-main");
            PlatformshTrigger t = mainOnly();
            p.addTrigger(t);
            t.start(p, true);
            String answer =
                    Deliveries.postSigned(r, push, Deliveries.SHARED_KEY).getContentAsString();
            assertTrue(answer.contains("accepted"), answer);
            r.waitUntilNoActivity();
            FreeStyleBuild b = p.getLastBuild();
            assertNotNull(b);
            firstDelivery[0] = b.getCause(PlatformshCause.class).getDeliveryId();
            assertFalse(firstDelivery[0].isEmpty());
            // Right before the shutdown, within the writer's delay: only the shutdown's own write can keep it.
            String late = push.replace("tstact0000001", "tstactlate001").replace("\"main\"", "\"staging\"");
            assertTrue(Deliveries.postSigned(r, late, Deliveries.SHARED_KEY)
                    .getContentAsString()
                    .contains("ignored"));
        });

        Path dir = sessions.getHome().toPath().resolve(StateFiles.DIRECTORY);
        // Snapshots and journal files alike: between compactions, the journal holds what the snapshots do not.
        StringBuilder all = new StringBuilder();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                all.append(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        String stored = all.toString();
        assertTrue(stored.contains("tstact0000001"), "written at shutdown: " + stored);
        assertFalse(stored.contains(Deliveries.SHARED_KEY), "no key on disk");
        assertFalse(stored.contains(Deliveries.sign(Deliveries.SHARED_KEY, push).split("\\.\\.")[1]), "no signature");
        assertFalse(stored.contains("basic-auth-password-never-shown"), "no body on disk");

        sessions.then(r -> {
            FreeStyleProject p = r.jenkins.getItemByFullName("deploy-main", FreeStyleProject.class);
            // The page explains the delivery from before the restart, with the job it queued.
            HtmlPage page = r.createWebClient().goTo("manage/platformsh-deliveries/");
            String deliveries = page.getElementById("platformsh-deliveries").asNormalizedText();
            assertTrue(deliveries.contains("tstact0000001"), deliveries);
            assertTrue(deliveries.contains("deploy-main"), deliveries);
            assertTrue(deliveries.contains("tstactlate001"), "the delivery just before the shutdown: " + deliveries);
            assertNotNull(
                    PlatformshTriggers.get().service().log().get(firstDelivery[0]),
                    "the build's link to its delivery still leads somewhere");

            String answer =
                    Deliveries.postSigned(r, push, Deliveries.SHARED_KEY).getContentAsString();
            assertTrue(answer.contains("duplicate"), answer);
            r.waitUntilNoActivity();
            assertEquals(1, p.getBuilds().size(), "the retry after the restart built nothing");

            String another = push.replace("tstact0000001", "tstact0000002");
            assertTrue(Deliveries.postSigned(r, another, Deliveries.SHARED_KEY)
                    .getContentAsString()
                    .contains("accepted"));
            r.waitUntilNoActivity();
            assertEquals(2, p.getBuilds().size());
            assertNotEquals(
                    firstDelivery[0],
                    p.getLastBuild().getCause(PlatformshCause.class).getDeliveryId(),
                    "delivery ids go on after the restored ones");
        });
    }

    /** Holds Pipeline builds in the queue while {@link #hold} is set; the flag outlives a session, as a static. */
    @TestExtension("queuedBuildsStartAfterTheRestartWithTheirCauseVariablesParametersAndActivity")
    public static class HoldPipelines extends QueueTaskDispatcher {
        static volatile boolean hold = true;

        @Override
        public CauseOfBlockage canRun(Queue.Item item) {
            return hold && item.task instanceof WorkflowJob
                    ? new CauseOfBlockage() {
                        @Override
                        public String getShortDescription() {
                            return "held by the test";
                        }
                    }
                    : null;
        }
    }

    @Test
    void queuedBuildsStartAfterTheRestartWithTheirCauseVariablesParametersAndActivity() throws Throwable {
        String push = Deliveries.sample("push-main.json");
        HoldPipelines.hold = true;
        sessions.then(r -> {
            setUp(r);
            // A label no node has: the freestyle build waits in the queue.
            FreeStyleProject f = r.createFreeStyleProject("freestyle");
            f.setAssignedLabel(Label.get("platformsh-restart-agent"));
            f.addProperty(new ParametersDefinitionProperty(new StringParameterDefinition("PLATFORMSH_BRANCH", "none")));
            f.getBuildersList().add(new CaptureEnvironmentBuilder());
            PlatformshTrigger t = mainOnly();
            f.addTrigger(t);
            t.start(f, true);
            // A Pipeline build held by the dispatcher above.
            WorkflowJob p = r.createProject(WorkflowJob.class, "pipeline");
            p.setDefinition(new CpsFlowDefinition(
                    "def a = platformshActivity()\n"
                            + "echo \"STEP type=${a.type} environment=${a.environment} project=${a.payload.project}\"\n"
                            + "echo \"ENV commit=${env.PLATFORMSH_COMMIT}\"",
                    true));
            p.addTrigger(mainOnly());

            String answer =
                    Deliveries.postSigned(r, push, Deliveries.SHARED_KEY).getContentAsString();
            assertTrue(answer.contains("accepted"), answer);
            assertEquals(2, r.jenkins.getQueue().getItems().length, "both builds wait in the queue");
            assertEquals(null, f.getLastBuild());
            assertEquals(null, p.getLastBuild());
        });
        sessions.then(r -> {
            assertEquals(2, r.jenkins.getQueue().getItems().length, "the queue came back with both builds");
            HoldPipelines.hold = false;
            CaptureEnvironmentBuilder capture = r.jenkins
                    .getItemByFullName("freestyle", FreeStyleProject.class)
                    .getBuildersList()
                    .get(CaptureEnvironmentBuilder.class);
            // The job may now run anywhere; the queued item is the one from before the restart.
            r.jenkins.getItemByFullName("freestyle", FreeStyleProject.class).setAssignedLabel(null);
            r.jenkins.getQueue().scheduleMaintenance();
            r.waitUntilNoActivity();

            FreeStyleBuild fb = r.jenkins
                    .getItemByFullName("freestyle", FreeStyleProject.class)
                    .getLastBuild();
            assertNotNull(fb, "the freestyle build ran after the restart");
            r.assertBuildStatusSuccess(fb);
            PlatformshCause cause = fb.getCause(PlatformshCause.class);
            assertNotNull(cause);
            assertEquals("tstact0000001", cause.getActivityId());
            assertEquals("main", capture.getEnvVars().get("PLATFORMSH_ENVIRONMENT"));
            assertEquals(
                    "2222222222222222222222222222222222222222",
                    capture.getEnvVars().get("PLATFORMSH_COMMIT"));
            assertEquals(
                    "main",
                    fb.getAction(ParametersAction.class)
                            .getParameter("PLATFORMSH_BRANCH")
                            .getValue());

            WorkflowRun pb =
                    r.jenkins.getItemByFullName("pipeline", WorkflowJob.class).getLastBuild();
            assertNotNull(pb, "the Pipeline build ran after the restart");
            r.assertBuildStatusSuccess(pb);
            assertNotNull(pb.getCause(PlatformshCause.class));
            r.assertLogContains("STEP type=environment.push environment=main project=testproject123", pb);
            r.assertLogContains("ENV commit=2222222222222222222222222222222222222222", pb);
            r.assertLogNotContains("basic-auth-password-never-shown", pb);
        });
    }
}
