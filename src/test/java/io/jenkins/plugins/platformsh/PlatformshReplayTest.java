package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.trigger.PlatformshCause;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import io.jenkins.plugins.platformsh.trigger.PlatformshTriggers;
import java.net.URL;
import jenkins.scm.impl.mock.MockSCMController;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Replay from the deliveries page: administrators only, by POST with a crumb, and what the builds say. */
@WithJenkins
class PlatformshReplayTest {

    private JenkinsRule r;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        Deliveries.adminAndReaderWithSharedKey(r);
    }

    private FreeStyleProject job(String environments) throws Exception {
        FreeStyleProject p = r.createFreeStyleProject("deploy");
        PlatformshTrigger t = new PlatformshTrigger();
        t.setEnvironments(environments);
        p.addTrigger(t);
        t.start(p, true);
        return p;
    }

    private WebResponse replay(String user, String delivery, boolean buildAgain) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient().login(user);
        wc.setThrowExceptionOnFailingStatusCode(false);
        String query =
                "manage/platformsh-deliveries/replay?delivery=" + delivery + (buildAgain ? "&buildAgain=true" : "");
        WebRequest post = new WebRequest(wc.createCrumbedUrl(query), HttpMethod.POST);
        return wc.getPage(post).getWebResponse();
    }

    @Test
    void afterFixingTheFilterAnAdministratorReplaysAndTheBuildSaysWho() throws Exception {
        FreeStyleProject p = job("staging");
        String push = Deliveries.sample("push-main.json");
        assertTrue(Deliveries.postSigned(r, push, Deliveries.SHARED_KEY)
                .getContentAsString()
                .contains("ignored"));
        r.waitUntilNoActivity();
        assertNull(p.getLastBuild());
        DeliveryLog.Entry original =
                PlatformshTriggers.get().service().log().newestFirst().get(0);
        assertTrue(original.replayable());

        String config =
                r.createWebClient().login("admin").goTo("manage/configure").asNormalizedText();
        assertTrue(config.contains("Replay storage (MiB)"), "the bound is in the global configuration");
        assertTrue(config.contains("Now kept: 1 bodies"), "with what it holds now");

        HtmlPage page = r.createWebClient()
                .login("admin")
                .goTo("manage/platformsh-deliveries/delivery/" + original.deliveryId() + "/");
        assertNotNull(page.getFormByName("replay"), "the delivery's page offers the replay");
        assertEquals(
                original.deliveryId(),
                page.getFormByName("replay").getInputByName("delivery").getValue());

        PlatformshTrigger fixed = new PlatformshTrigger();
        fixed.setEnvironments("main");
        p.addTrigger(fixed);
        fixed.start(p, true);

        WebResponse answer = replay("admin", original.deliveryId(), false);
        assertEquals(200, answer.getStatusCode());
        assertTrue(answer.getContentAsString().contains("replay accepted"), answer.getContentAsString());
        r.waitUntilNoActivity();
        FreeStyleBuild b = p.getLastBuild();
        assertNotNull(b);
        PlatformshCause cause = b.getCause(PlatformshCause.class);
        assertEquals(
                "Replayed by admin: Platform.sh environment.push on main by Test Author", cause.getShortDescription());
        DeliveryLog.Entry replay = PlatformshTriggers.get().service().log().get(cause.getDeliveryId());
        assertEquals(original.deliveryId(), replay.replayOf(), "the replay is its own entry, linked to the original");
        assertEquals("main", b.getEnvironment(hudson.model.TaskListener.NULL).get("PLATFORMSH_ENVIRONMENT"));

        // Again: the job already built it, so nothing happens unless asked.
        assertTrue(replay("admin", original.deliveryId(), false)
                .getContentAsString()
                .contains("already built"));
        r.waitUntilNoActivity();
        assertEquals(1, p.getBuilds().size());
        assertEquals(200, replay("admin", original.deliveryId(), true).getStatusCode());
        r.waitUntilNoActivity();
        assertEquals(2, p.getBuilds().size());
        Object replays = jenkins.metrics.api.Metrics.metricRegistry()
                .getGauges()
                .get("platformsh.webhook.replays")
                .getValue();
        assertEquals(3L, replays, "three replays, counted apart from deliveries");
    }

    @Test
    void aMultibranchProjectsBranchJobIsNotBuiltAgainByDefault() throws Exception {
        try (MockSCMController c = MockSCMController.create()) {
            WorkflowMultiBranchProject mp = Deliveries.indexedMultibranch(r, c);
            WorkflowJob branch = mp.getItemByBranchName("feature-x");
            assertEquals(1, branch.getBuilds().size(), "indexing's first build");

            Deliveries.postSigned(r, Deliveries.sample("push-feature.json"), Deliveries.SHARED_KEY);
            r.waitUntilNoActivity();
            assertEquals(2, branch.getBuilds().size(), "the delivery's build");
            DeliveryLog.Entry original =
                    PlatformshTriggers.get().service().log().newestFirst().get(0);

            WebResponse again = replay("admin", original.deliveryId(), false);
            assertTrue(again.getContentAsString().contains("already built"), again.getContentAsString());
            r.waitUntilNoActivity();
            assertEquals(2, branch.getBuilds().size(), "queued with the branch job's name is built");
            assertTrue(replay("admin", original.deliveryId(), true)
                    .getContentAsString()
                    .contains("replay accepted"));
            r.waitUntilNoActivity();
            assertEquals(3, branch.getBuilds().size());
        }
    }

    @Test
    void onlyAnAdministratorByPostAndNeverARejectedDelivery() throws Exception {
        FreeStyleProject p = job("main");
        String push = Deliveries.sample("push-main.json");
        Deliveries.postSigned(r, push, Deliveries.SHARED_KEY);
        Deliveries.postSigned(r, push.replace("tstact0000001", "forged0000001"), Deliveries.OTHER_KEY);
        r.waitUntilNoActivity();
        assertEquals(1, p.getBuilds().size());
        DeliveryLog log = PlatformshTriggers.get().service().log();
        String accepted = log.newestFirst().get(0).deliveryId();
        String forged = log.refusedNewestFirst().get(0).deliveryId();

        assertEquals(403, replay("reader", accepted, true).getStatusCode());
        JenkinsRule.WebClient wc = r.createWebClient().login("admin");
        wc.setThrowExceptionOnFailingStatusCode(false);
        assertEquals(
                405,
                wc.goTo("manage/platformsh-deliveries/replay?delivery=" + accepted + "&buildAgain=true")
                        .getWebResponse()
                        .getStatusCode(),
                "a GET replays nothing");
        WebRequest noCrumb = new WebRequest(
                new URL(r.getURL(), "manage/platformsh-deliveries/replay?delivery=" + accepted + "&buildAgain=true"),
                HttpMethod.POST);
        assertEquals(403, wc.getPage(noCrumb).getWebResponse().getStatusCode(), "a POST without a crumb is refused");

        String refused = replay("admin", forged, true).getContentAsString();
        assertTrue(refused.contains("409: cannot be replayed"), refused);
        r.waitUntilNoActivity();
        assertEquals(1, p.getBuilds().size(), "nothing was built by any of these");
    }
}
