package io.jenkins.plugins.platformsh.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The global configuration's form offers what saving it accepts. */
@WithJenkins
class GlobalConfigurationFormTest {

    @Test
    void theReplayStorageFieldIsBoundedAsSavingIs(JenkinsRule r) throws Exception {
        HtmlPage page = r.createWebClient().goTo("configure");
        HtmlInput replay = page.getFirstByXPath("//input[@name='_.replayStorageMiB']");
        assertNotNull(replay, "the replay storage field");
        assertEquals(String.valueOf(PlatformshGlobalConfiguration.MAX_REPLAY_STORAGE_MIB), replay.getAttribute("max"));
        assertEquals("0", replay.getAttribute("min"));
        // Its description, asked of the trigger registry by the view.
        assertTrue(page.asNormalizedText().contains("Now kept: 0 bodies, 0 KiB."), "the replay storage in use");
    }
}
