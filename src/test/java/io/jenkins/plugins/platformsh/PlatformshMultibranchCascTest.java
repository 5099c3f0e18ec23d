package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import io.jenkins.plugins.platformsh.trigger.PlatformshTriggers;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;
import org.junit.jupiter.api.Test;

/** The JCasC form of docs/multibranch.md: a Job DSL script under {@code jobs:} puts the trigger on the project. */
@WithJenkinsConfiguredWithCode
class PlatformshMultibranchCascTest {

    @Test
    @ConfiguredWithCode("multibranch-casc.yml")
    void jobsScriptConfiguresTheTrigger(JenkinsConfiguredWithCodeRule j) {
        WorkflowMultiBranchProject mp = j.jenkins.getItemByFullName("shop", WorkflowMultiBranchProject.class);
        assertNotNull(mp);
        PlatformshTrigger t = (PlatformshTrigger) mp.getTriggers().values().stream()
                .filter(PlatformshTrigger.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertEquals("abcdefgh1234567", t.getProjects());
        assertEquals("main", t.getExcludedEnvironments());
        assertEquals(
                "abcdefgh1234567",
                PlatformshTriggers.get().service().index().get("shop").projects());
    }
}
