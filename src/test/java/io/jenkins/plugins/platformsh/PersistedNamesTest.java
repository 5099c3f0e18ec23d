package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import io.jenkins.plugins.platformsh.config.PlatformshAdditionalKey;
import io.jenkins.plugins.platformsh.config.PlatformshGlobalConfiguration;
import io.jenkins.plugins.platformsh.pipeline.PlatformshActivityStep;
import io.jenkins.plugins.platformsh.trigger.PlatformshCause;
import io.jenkins.plugins.platformsh.trigger.PlatformshDeliveryAction;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jenkins.model.ParameterizedJobMixIn;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * A Jenkins that ran the plugin before its classes moved into config/ and trigger/ saved them under their old names:
 * its jobs, builds and global configuration still load. The files are written by today's code, then given the old
 * names, which is exactly what the earlier release wrote (the fields did not change).
 */
@WithJenkins
class PersistedNamesTest {

    private static final String OLD_CONFIG_FILE = "io.jenkins.plugins.platformsh.PlatformshGlobalConfiguration.xml";

    /** Today's names to the names the classes had before the move. */
    private static String oldNames(String xml) {
        return xml.replace(
                        "io.jenkins.plugins.platformsh.trigger.Platformsh", "io.jenkins.plugins.platformsh.Platformsh")
                .replace("io.jenkins.plugins.platformsh.config.Platformsh", "io.jenkins.plugins.platformsh.Platformsh");
    }

    private static void rewriteWithOldNames(File file, String mustName) throws Exception {
        Path path = file.toPath();
        String old = oldNames(Files.readString(path, StandardCharsets.UTF_8));
        assertTrue(old.contains("io.jenkins.plugins.platformsh." + mustName), file + " names " + mustName);
        Files.writeString(path, old, StandardCharsets.UTF_8);
    }

    @Test
    void jobsBuildsAndTheGlobalConfigurationSavedUnderTheOldNamesLoad(JenkinsRule r) throws Exception {
        r.jenkins.setQuietPeriod(0);
        Deliveries.configureSharedKey("psh-key", Deliveries.SHARED_KEY);
        PlatformshGlobalConfiguration config = PlatformshGlobalConfiguration.get();
        config.setAdditionalKeys(List.of(new PlatformshAdditionalKey("psh-key", "proj-a proj-b")));

        PlatformshTrigger trigger = new PlatformshTrigger();
        trigger.setEnvironments("main");
        FreeStyleProject p = Deliveries.freestyle(r, "saved-before", trigger);
        p.save();
        assertEquals(
                200,
                Deliveries.postSigned(r, Deliveries.sample("push-main.json"), Deliveries.SHARED_KEY)
                        .getStatusCode());
        r.waitUntilNoActivity();
        FreeStyleBuild built = p.getLastBuild();
        assertNotNull(built, "the delivery built the job");

        // The global configuration keeps the file it always had.
        File configFile = new File(r.jenkins.getRootDir(), OLD_CONFIG_FILE);
        assertTrue(configFile.isFile(), "saved to " + OLD_CONFIG_FILE);
        rewriteWithOldNames(configFile, "PlatformshAdditionalKey");
        rewriteWithOldNames(p.getConfigFile().getFile(), "PlatformshTrigger");
        rewriteWithOldNames(new File(built.getRootDir(), "build.xml"), "PlatformshDeliveryAction");

        r.jenkins.reload();

        PlatformshGlobalConfiguration reloaded = new PlatformshGlobalConfiguration();
        assertEquals("psh-key", reloaded.getCredentialsId());
        assertEquals(1, reloaded.getAdditionalKeys().size());
        assertEquals("proj-a proj-b", reloaded.getAdditionalKeys().get(0).getProjects());

        FreeStyleProject job = r.jenkins.getItemByFullName("saved-before", FreeStyleProject.class);
        assertNotNull(job);
        PlatformshTrigger t = ParameterizedJobMixIn.getTrigger(job, PlatformshTrigger.class);
        assertNotNull(t, "the trigger saved as io.jenkins.plugins.platformsh.PlatformshTrigger");
        assertEquals("main", t.getEnvironments());

        FreeStyleBuild b = job.getBuildByNumber(built.getNumber());
        assertNotNull(b);
        PlatformshCause cause = b.getCause(PlatformshCause.class);
        assertNotNull(cause, "the cause saved as io.jenkins.plugins.platformsh.PlatformshCause");
        assertEquals("tstact0000001", cause.getActivityId());
        PlatformshDeliveryAction action = b.getAction(PlatformshDeliveryAction.class);
        assertNotNull(action, "the action saved as io.jenkins.plugins.platformsh.PlatformshDeliveryAction");
        assertEquals("main", action.getVariables().get("PLATFORMSH_ENVIRONMENT"));
    }

    @Test
    void pipelineBuildsThatRanTheActivityStepBeforeTheMoveStillFindIt(JenkinsRule r) {
        // A flow node keeps its step's descriptor id and looks it up with Jenkins.getDescriptor (workflow-cps's
        // StepDescriptorCache): the id written before the move must still find the step.
        assertTrue(
                r.jenkins.getDescriptor("io.jenkins.plugins.platformsh.PlatformshActivityStep")
                        instanceof PlatformshActivityStep.DescriptorImpl,
                "the activity step's id before the move");
    }
}
