package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import hudson.model.Item;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import jenkins.model.Jenkins;
import jenkins.scm.impl.mock.MockSCMController;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Issue 22: each job's own "Platform.sh deliveries", for those who may configure it, listing only the deliveries
 * verified by a key valid for it.
 */
@WithJenkins
class PlatformshJobDeliveriesTest {

    private static final String MINE_KEY = key("the-key-of-job-mine-only-32bytes");
    private static final String THEIRS_KEY = key("the-key-of-job-theirs-32-bytes!!");

    private JenkinsRule r;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        r.jenkins.setQuietPeriod(0);
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER)
                .everywhere()
                .to("admin")
                .grant(Jenkins.READ, Item.READ, Item.CONFIGURE)
                .everywhere()
                .to("configurer")
                .grant(Jenkins.READ, Item.READ)
                .everywhere()
                .to("reader"));
        Deliveries.configureSharedKey("psh-key", Deliveries.SHARED_KEY);
    }

    private static String key(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private FreeStyleProject withOwnKey(String name, String credentialsId, String key) throws Exception {
        Deliveries.addSecretText(credentialsId, key);
        PlatformshTrigger t = new PlatformshTrigger();
        t.setCredentialsId(credentialsId);
        return Deliveries.freestyle(r, name, t);
    }

    private void deliver(String activityId, String key) throws Exception {
        String body = Deliveries.sample("push-main.json").replace("tstact0000001", activityId);
        Deliveries.postSigned(r, body, key);
        r.waitUntilNoActivity();
    }

    @Test
    void aJobListsTheDeliveriesItsKeysVerifiedWithWhyAndItsBuilds() throws Exception {
        FreeStyleProject mine = withOwnKey("mine", "mine-key", MINE_KEY);
        withOwnKey("theirs", "theirs-key", THEIRS_KEY);
        PlatformshTrigger stagingOnly = new PlatformshTrigger();
        stagingOnly.setEnvironments("staging");
        Deliveries.freestyle(r, "staging-only", stagingOnly);

        deliver("actglobal001", Deliveries.SHARED_KEY); // global key: mine requires its own, so not built
        deliver("actmine00001", MINE_KEY); // builds mine
        deliver("acttheirs001", THEIRS_KEY); // another job's key: never shown to mine
        deliver("actwrong0001", Deliveries.OTHER_KEY); // refused: nobody's
        assertEquals(1, mine.getBuilds().size());

        HtmlPage page = r.createWebClient().login("configurer").goTo("job/mine/platformsh-deliveries/");
        String text = page.getElementById("platformsh-job-deliveries").asNormalizedText();
        assertTrue(text.contains("actmine00001") && text.contains("actglobal001"), text);
        assertFalse(text.contains("acttheirs001"), "verified only by another job's key: " + text);
        assertFalse(text.contains("actwrong0001"), text);
        assertTrue(text.contains("not verified with"), "why the global key did not build it: " + text);
        HtmlAnchor build = page.getFirstByXPath("//a[@class='platformsh-build']");
        assertNotNull(build, page.asXml());
        assertTrue(build.getHrefAttribute().endsWith("/job/mine/1/"), build.getHrefAttribute());
        assertTrue(text.indexOf("actmine00001") < text.indexOf("actglobal001"), "newest first: " + text);
        assertNull(page.getFirstByXPath("//a[@class='platformsh-delivery-page']"), "the delivery's page is for admins");
        HtmlAnchor toDelivery = r.createWebClient()
                .login("admin")
                .goTo("job/mine/platformsh-deliveries/")
                .getFirstByXPath("//a[@class='platformsh-delivery-page']");
        assertNotNull(toDelivery, "an administrator gets a link to the delivery's own page");
        assertTrue(toDelivery.getHrefAttribute().contains("/manage/platformsh-deliveries/delivery/d"));

        String other = r.createWebClient()
                .login("configurer")
                .goTo("job/staging-only/platformsh-deliveries/")
                .getElementById("platformsh-job-deliveries")
                .asNormalizedText();
        assertTrue(other.contains("actglobal001") && other.contains("environment main is not one of [staging]"), other);
        assertFalse(other.contains("actmine00001") || other.contains("acttheirs001"), other);
    }

    /** A key valid for every job (the global one here) still shows a job that names projects only theirs. */
    @Test
    void aJobThatNamesProjectsListsOnlyTheirDeliveries() throws Exception {
        PlatformshTrigger tenantA = new PlatformshTrigger();
        tenantA.setProjects("projectaaaaaa");
        Deliveries.freestyle(r, "tenant-a", tenantA);
        deliver("actother0001", Deliveries.SHARED_KEY); // testproject123: another tenant's
        String ours = Deliveries.sample("push-main.json")
                .replace("tstact0000001", "actours00001")
                .replace("testproject123", "projectaaaaaa");
        Deliveries.postSigned(r, ours, Deliveries.SHARED_KEY);
        r.waitUntilNoActivity();

        String text = r.createWebClient()
                .login("configurer")
                .goTo("job/tenant-a/platformsh-deliveries/")
                .getElementById("platformsh-job-deliveries")
                .asNormalizedText();
        assertTrue(text.contains("actours00001"), text);
        assertFalse(text.contains("actother0001") || text.contains("testproject123"), "another project's: " + text);
    }

    @Test
    void onlyThoseWhoMayConfigureTheJobSeeTheLinkAndThePage() throws Exception {
        Deliveries.freestyle(r, "deploy", new PlatformshTrigger());
        deliver("actperm00001", Deliveries.SHARED_KEY);

        JenkinsRule.WebClient configurer = r.createWebClient().login("configurer");
        HtmlPage job = configurer.goTo("job/deploy/");
        HtmlAnchor link = job.getFirstByXPath("//a[contains(@href, '/job/deploy/platformsh-deliveries')]");
        assertNotNull(link, "the side panel links the page: " + job.asNormalizedText());
        assertTrue(link.asNormalizedText().contains("Platform.sh deliveries"), link.asNormalizedText());
        assertTrue(link.click().getWebResponse().getContentAsString().contains("actperm00001"));

        JenkinsRule.WebClient reader = r.createWebClient().login("reader");
        reader.setThrowExceptionOnFailingStatusCode(false);
        HtmlPage asReader = reader.goTo("job/deploy/");
        assertEquals(200, asReader.getWebResponse().getStatusCode());
        assertNull(asReader.getFirstByXPath("//a[contains(@href, 'platformsh-deliveries')]"), "no link for Item/Read");
        assertEquals(
                403,
                reader.goTo("job/deploy/platformsh-deliveries/")
                        .getWebResponse()
                        .getStatusCode());

        // Anonymous may not read Jenkins at all: sent to the login page, never shown the deliveries.
        JenkinsRule.WebClient anonymous = r.createWebClient();
        anonymous.setThrowExceptionOnFailingStatusCode(false);
        String asAnonymous = anonymous
                .goTo("job/deploy/platformsh-deliveries/")
                .getWebResponse()
                .getContentAsString();
        assertFalse(asAnonymous.contains("actperm00001"), asAnonymous);
    }

    @Test
    void aJobWithoutTriggerHasNoPage() throws Exception {
        r.createFreeStyleProject("plain");
        JenkinsRule.WebClient admin = r.createWebClient().login("admin");
        admin.setThrowExceptionOnFailingStatusCode(false);
        assertNull(admin.goTo("job/plain/").getFirstByXPath("//a[contains(@href, 'platformsh-deliveries')]"));
        assertEquals(
                404,
                admin.goTo("job/plain/platformsh-deliveries/").getWebResponse().getStatusCode());
    }

    @Test
    void aMultibranchProjectWithTheTriggerHasItsOwnPage() throws Exception {
        try (MockSCMController c = MockSCMController.create()) {
            WorkflowMultiBranchProject mp = Deliveries.indexedMultibranch(r, c);

            Deliveries.postSigned(r, Deliveries.sample("push-feature.json"), Deliveries.SHARED_KEY);
            r.waitUntilNoActivity();
            assertEquals(2, mp.getItemByBranchName("feature-x").getBuilds().size());

            JenkinsRule.WebClient configurer = r.createWebClient().login("configurer");
            HtmlPage project = configurer.goTo("job/mp/");
            assertNotNull(
                    project.getFirstByXPath("//a[contains(@href, '/job/mp/platformsh-deliveries')]"),
                    project.asNormalizedText());
            String text = configurer
                    .goTo("job/mp/platformsh-deliveries/")
                    .getElementById("platformsh-job-deliveries")
                    .asNormalizedText();
            assertTrue(text.contains("tstact0000002") && text.contains("matched"), text);
            assertTrue(text.contains("feature-x"), "the result names the branch job it built: " + text);

            JenkinsRule.WebClient reader = r.createWebClient().login("reader");
            reader.setThrowExceptionOnFailingStatusCode(false);
            assertEquals(
                    403,
                    reader.goTo("job/mp/platformsh-deliveries/")
                            .getWebResponse()
                            .getStatusCode());
        }
    }
}
