package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Queue;
import io.jenkins.plugins.platformsh.trigger.PlatformshCause;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.CaptureEnvironmentBuilder;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Manage Jenkins → Platform.sh deliveries: reasons per job, escaping, admin only, and the dry run. */
@WithJenkins
class PlatformshDeliveriesPageTest {

    private JenkinsRule r;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        Deliveries.adminAndReaderWithSharedKey(r);
    }

    private FreeStyleProject productionOnly() throws Exception {
        FreeStyleProject p = r.createFreeStyleProject("production-only");
        PlatformshTrigger t = new PlatformshTrigger();
        t.setEnvironments("production");
        p.addTrigger(t);
        t.start(p, true);
        return p;
    }

    @Test
    void showsWhyAJobWasNotTriggered() throws Exception {
        productionOnly();
        String evil = Deliveries.sample("push-main.json").replace("tstact0000001", "tstact<b>bold</b>");
        assertEquals(200, Deliveries.postSigned(r, evil, Deliveries.SHARED_KEY).getStatusCode());

        HtmlPage page = r.createWebClient().login("admin").goTo("manage/platformsh-deliveries/");
        String text = page.asNormalizedText();
        // The list counts the jobs it did not match by reason; the delivery's own page names them.
        assertTrue(text.contains("1 job: environment main is not one of [production]"), text);
        String html = page.getWebResponse().getContentAsString();
        // Jelly's escape-by-default escapes '<' and '&' only; a lone '>' is harmless and stays as it is.
        assertTrue(html.contains("tstact&lt;b>bold&lt;/b>"), "payload values are escaped");
        assertFalse(html.contains("<b>bold</b>"));

        HtmlPage own = ((HtmlAnchor) page.getFirstByXPath("//a[@class='platformsh-delivery-page']")).click();
        String jobs = own.getElementById("platformsh-jobs").asNormalizedText();
        assertTrue(jobs.contains("production-only") && jobs.contains("not matched"), jobs);
        assertTrue(jobs.contains("environment main is not one of [production]"), jobs);
        String ownHtml = own.getWebResponse().getContentAsString();
        assertTrue(ownHtml.contains("tstact&lt;b>bold&lt;/b>"), "payload values are escaped");
        assertFalse(ownHtml.contains("<b>bold</b>"));
    }

    @Test
    void refusedRequestsAreListedApartFromDeliveries() throws Exception {
        productionOnly();
        String push = Deliveries.sample("push-main.json");
        assertEquals(200, Deliveries.postSigned(r, push, Deliveries.SHARED_KEY).getStatusCode());
        assertEquals(
                403,
                Deliveries.postSigned(r, push.replace("tstact0000001", "forged000001"), Deliveries.OTHER_KEY)
                        .getStatusCode());

        HtmlPage page = r.createWebClient().login("admin").goTo("manage/platformsh-deliveries/");
        String deliveries = page.getElementById("platformsh-deliveries").asNormalizedText();
        String refused = page.getElementById("platformsh-refused").asNormalizedText();
        assertTrue(deliveries.contains("tstact0000001"), deliveries);
        assertFalse(deliveries.contains("forged000001") || deliveries.contains("forbidden"), deliveries);
        assertTrue(
                refused.contains("403: forbidden: X-JWS-Signature does not match any configured shared key"), refused);
    }

    @Test
    void aNewBranchIsOneEnvironmentInItsBuildAndOnThePage() throws Exception {
        FreeStyleProject branch = branchJob("branch-builds", "feature-x", "");
        FreeStyleProject notMain = branchJob("not-main", "", "main");
        FreeStyleProject mainOnly = branchJob("main-only", "main", "");
        CaptureEnvironmentBuilder capture = new CaptureEnvironmentBuilder();
        branch.getBuildersList().add(capture);

        String body = Deliveries.sample("delivery/fixtures/branch-in-progress.json");
        assertEquals(200, Deliveries.postSigned(r, body, Deliveries.SHARED_KEY).getStatusCode());
        r.waitUntilNoActivity();

        assertEquals(1, branch.getBuilds().size(), "environments 'feature-x' matches the new branch");
        assertEquals("feature-x", capture.getEnvVars().get("PLATFORMSH_ENVIRONMENT"));
        assertEquals("feature-x-abc1234", capture.getEnvVars().get("PLATFORMSH_MACHINE_NAME"));
        assertEquals("development", capture.getEnvVars().get("PLATFORMSH_ENVIRONMENT_TYPE"));
        assertEquals("main", capture.getEnvVars().get("PLATFORMSH_PARENT_ENVIRONMENT"));
        assertTrue(branch.getLastBuild()
                .getCause(PlatformshCause.class)
                .getShortDescription()
                .contains(" on feature-x "));
        assertEquals(1, notMain.getBuilds().size(), "excluding main does not exclude a branch made from main");
        assertNull(mainOnly.getLastBuild());

        String text = r.createWebClient()
                .login("admin")
                .goTo("manage/platformsh-deliveries/")
                .asNormalizedText();
        assertTrue(text.contains("environment feature-x"), text);
        assertTrue(text.contains("environment feature-x is not one of [main]"), text);
    }

    private FreeStyleProject branchJob(String name, String environments, String excluded) throws Exception {
        FreeStyleProject p = r.createFreeStyleProject(name);
        PlatformshTrigger t = new PlatformshTrigger();
        t.setEvents("environment.branch");
        t.setStates("in_progress");
        t.setEnvironments(environments);
        t.setExcludedEnvironments(excluded);
        p.addTrigger(t);
        t.start(p, true);
        return p;
    }

    @Test
    void onlyAdministratorsSeeThePage() throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient().login("reader");
        wc.setThrowExceptionOnFailingStatusCode(false);
        assertEquals(
                403, wc.goTo("manage/platformsh-deliveries/").getWebResponse().getStatusCode());
        assertEquals(403, wc.goTo("platformsh-deliveries/").getWebResponse().getStatusCode());

        // With a valid crumb, so that it is the permission check that refuses.
        WebRequest dryRun = new WebRequest(wc.createCrumbedUrl("manage/platformsh-deliveries/dryRun"), HttpMethod.POST);
        dryRun.setAdditionalHeader("Content-Type", "application/x-www-form-urlencoded");
        dryRun.setRequestBody("payload=%7B%7D");
        assertEquals(403, wc.getPage(dryRun).getWebResponse().getStatusCode());
    }

    @Test
    void dryRunShowsTheDecisionWithoutBuilding() throws Exception {
        FreeStyleProject p = productionOnly();
        FreeStyleProject any = r.createFreeStyleProject("any-environment");
        PlatformshTrigger t = new PlatformshTrigger();
        any.addTrigger(t);
        t.start(any, true);

        HtmlPage page = r.createWebClient().login("admin").goTo("manage/platformsh-deliveries/");
        HtmlForm form = page.getFormByName("dryRun");
        form.getTextAreaByName("payload").setText(Deliveries.sample("push-main.json"));
        HtmlPage result = r.submit(form);

        String text = result.asNormalizedText();
        assertTrue(text.contains("any-environment: would build"), text);
        assertTrue(text.contains("production-only: would not build"), text);
        assertTrue(text.contains("PLATFORMSH_ENVIRONMENT"), text);
        r.waitUntilNoActivity();
        assertNull(p.getLastBuild());
        assertNull(any.getLastBuild());

        // Nothing was remembered: the same delivery, really sent, still builds.
        assertEquals(
                200,
                Deliveries.postSigned(r, Deliveries.sample("push-main.json"), Deliveries.SHARED_KEY)
                        .getStatusCode());
        r.waitUntilNoActivity();
        assertEquals(1, any.getBuilds().size());
    }

    @Test
    void timesAreRelativeWithTheExactTimeOnHover() throws Exception {
        productionOnly();
        Deliveries.postSigned(r, Deliveries.sample("push-main.json"), Deliveries.SHARED_KEY);

        HtmlPage page = r.createWebClient().login("admin").goTo("manage/platformsh-deliveries/");
        DomElement received = page.getFirstByXPath("//span[@class='platformsh-received']");
        assertNotNull(received);
        String ago = received.getTextContent().trim();
        assertTrue(ago.equals("just now") || ago.matches("\\d+ s ago"), ago);
        assertTrue(
                received.getAttribute("title").matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC"),
                received.getAttribute("title"));
        assertFalse(page.asNormalizedText().matches("(?s).*\\d\\d:\\d\\d:\\d\\d\\.\\d+Z.*"), "no nanosecond ISO");
    }

    @Test
    void aRejectedRowHasNoEmptyActivityLabels() throws Exception {
        // Verified but not an activity: refused after verification, so listed among deliveries, with no activity.
        assertEquals(400, Deliveries.postSigned(r, "[]", Deliveries.SHARED_KEY).getStatusCode());

        HtmlPage page = r.createWebClient().login("admin").goTo("manage/platformsh-deliveries/");
        String row =
                ((DomElement) page.getFirstByXPath("//table[@id='platformsh-deliveries']/tbody/tr")).asNormalizedText();
        assertTrue(row.contains("400"), row);
        assertTrue(row.contains("no activity"), row);
        assertFalse(
                row.contains("project ,") || row.contains("environment null") || row.contains("activity null"), row);
    }

    @Test
    void aQueuedJobLinksToItsJobAndToItsBuildOnceStarted() throws Exception {
        FreeStyleProject any = Deliveries.freestyle(r, "any", new PlatformshTrigger());
        r.jenkins.setNumExecutors(0); // waits in the queue first
        Deliveries.postSigned(r, Deliveries.sample("push-main.json"), Deliveries.SHARED_KEY);

        JenkinsRule.WebClient wc = r.createWebClient().login("admin");
        HtmlPage waiting = wc.goTo("manage/platformsh-deliveries/");
        HtmlAnchor job = waiting.getFirstByXPath("//a[@class='platformsh-job']");
        assertNotNull(job, waiting.asXml());
        assertTrue(job.getHrefAttribute().endsWith("/job/any/"), job.getHrefAttribute());
        assertTrue(waiting.asNormalizedText().contains("waiting in the queue"), waiting.asNormalizedText());
        assertNull(waiting.getFirstByXPath("//a[@class='platformsh-build']"));

        Queue.Item item = r.jenkins.getQueue().getItems(any).get(0);
        r.jenkins.setNumExecutors(1);
        r.waitUntilNoActivity();
        FreeStyleBuild b = any.getLastBuild();
        assertNotNull(b);
        assertEquals(item.getId(), b.getQueueId());

        HtmlPage started = wc.goTo("manage/platformsh-deliveries/");
        HtmlAnchor build = started.getFirstByXPath("//a[@class='platformsh-build']");
        assertNotNull(build, started.asXml());
        assertTrue(build.getHrefAttribute().endsWith("/job/any/1/"), build.getHrefAttribute());
        assertFalse(started.asNormalizedText().contains("waiting in the queue"));
    }

    @Test
    void aBuildReplacedByANewerDeliveryIsShownCancelled() throws Exception {
        PlatformshTrigger t = new PlatformshTrigger();
        t.setCoalesce("LATEST_PER_ENVIRONMENT");
        FreeStyleProject latest = Deliveries.freestyle(r, "latest", t);
        latest.setQuietPeriod(600);
        String push = Deliveries.sample("push-main.json");
        Deliveries.postSigned(r, push, Deliveries.SHARED_KEY);
        Deliveries.postSigned(r, push.replace("tstact0000001", "tstact0000003"), Deliveries.SHARED_KEY);

        HtmlPage page = r.createWebClient().login("admin").goTo("manage/platformsh-deliveries/");
        String text = page.asNormalizedText();
        assertTrue(text.contains("cancelled before it started"), text);
        assertTrue(text.contains("waiting in the queue"), text);
        r.jenkins.getQueue().clear();
    }
}
