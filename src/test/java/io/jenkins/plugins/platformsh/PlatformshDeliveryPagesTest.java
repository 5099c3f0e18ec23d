package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import io.jenkins.plugins.platformsh.trigger.PlatformshTriggers;
import io.jenkins.plugins.platformsh.ui.PlatformshDeliveriesPage;
import java.util.List;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlCheckBoxInput;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Issue 22: with many jobs, the deliveries page lists per delivery only the jobs it queued (at most 10), the others
 * counted by reason, and a link to the delivery's own page; that page has every job's result, filtered by name and
 * 50 a page, the payload and the replay form.
 */
@WithJenkins
class PlatformshDeliveryPagesTest {

    private static final int MATCHING = 25;
    private static final int STAGING = 200;
    private static final int MERGES = 75;

    private JenkinsRule r;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        Deliveries.adminAndReaderWithSharedKey(r);
    }

    /** 300 jobs: 25 that a push to main builds, 200 for staging, 75 for merges only. */
    private void manyJobs() throws Exception {
        for (int i = 0; i < MATCHING; i++) {
            PlatformshTrigger t = new PlatformshTrigger();
            t.setEnvironments("main");
            Deliveries.freestyle(r, "main-" + i, t);
        }
        for (int i = 0; i < STAGING; i++) {
            PlatformshTrigger t = new PlatformshTrigger();
            t.setEnvironments("staging");
            Deliveries.freestyle(r, "staging-" + i, t);
        }
        for (int i = 0; i < MERGES; i++) {
            PlatformshTrigger t = new PlatformshTrigger();
            t.setEvents("environment.merge");
            Deliveries.freestyle(r, "merges-" + i, t);
        }
        assertEquals(300, PlatformshTriggers.get().service().index().size());
    }

    private String deliver(String body) throws Exception {
        assertEquals(200, Deliveries.postSigned(r, body, Deliveries.SHARED_KEY).getStatusCode());
        r.waitUntilNoActivity();
        return PlatformshTriggers.get().service().log().newestFirst().get(0).deliveryId();
    }

    @Test
    void theDeliveriesPageShowsTheQueuedJobsAndCountsTheRest() throws Exception {
        manyJobs();
        String id = deliver(Deliveries.sample("push-main.json"));

        JenkinsRule.WebClient wc = r.createWebClient().login("admin");
        HtmlPage page = wc.goTo("manage/platformsh-deliveries/");
        DomElement row = page.getElementById("delivery-" + id);
        assertNotNull(row, page.asXml());
        List<HtmlAnchor> builds = row.getByXPath(".//a[@class='platformsh-build']");
        assertEquals(
                PlatformshDeliveriesPage.JOBS_SHOWN,
                builds.size(),
                "at most 10 queued jobs listed, each linked to its build");
        for (HtmlAnchor b : builds) {
            assertTrue(b.getHrefAttribute().matches(".*/job/main-\\d+/1/"), b.getHrefAttribute());
        }
        String text = row.asNormalizedText();
        assertTrue(text.contains("and 15 more"), text);
        HtmlAnchor more = row.getFirstByXPath(".//div[@class='platformsh-more']/a");
        assertTrue(more.getHrefAttribute().endsWith("/manage/platformsh-deliveries/delivery/" + id + "/"));
        assertTrue(text.contains("200 jobs: environment main is not one of [staging]"), text);
        assertTrue(text.contains("75 jobs: event environment.push is not one of [environment.merge]"), text);
        String html = page.getWebResponse().getContentAsString();
        assertFalse(html.contains("staging-17"), "no job it did not match is named on the page");
        assertFalse(html.contains("merges-3"), "no job it did not match is named on the page");
        HtmlAnchor own = row.getFirstByXPath(".//a[@class='platformsh-delivery-page']");
        assertNotNull(own);
        int rowStart = html.indexOf("id=\"delivery-" + id + "\"");
        int rowLength = html.indexOf("</tr>", rowStart) - rowStart;
        System.out.println("Deliveries page, 300 jobs, 1 delivery that queued 25: " + html.length()
                + " characters, of which its row " + rowLength);
        assertTrue(rowLength < 5_000, "a row with 10 queued jobs listed: " + rowLength);

        HtmlPage delivery = own.click();
        assertEquals(200, delivery.getWebResponse().getStatusCode());
        assertEquals(
                MATCHING,
                delivery.getElementById("platformsh-delivery-builds")
                        .getByXPath(".//a[@class='platformsh-build']")
                        .size(),
                "its own page links every build");
        System.out.println("Delivery page, 300 jobs, first page: "
                + delivery.getWebResponse().getContentAsString().length() + " characters");
    }

    @Test
    void twoHundredDeliveriesForNoJobKeepThePageSmall() throws Exception {
        manyJobs();
        JenkinsRule.WebClient wc = r.createWebClient().login("admin");
        int empty = wc.goTo("manage/platformsh-deliveries/")
                .getWebResponse()
                .getContentAsString()
                .length();
        String push = Deliveries.sample("push-main.json").replace("\"main\"", "\"nowhere\"");
        for (int i = 0; i < 200; i++) {
            String body = push.replace("tstact0000001", String.format("tstact%07d", 1000 + i));
            assertTrue(Deliveries.postSigned(r, body, Deliveries.SHARED_KEY)
                    .getContentAsString()
                    .contains("ignored"));
        }
        assertEquals(200, PlatformshTriggers.get().service().log().newestFirst().size());

        HtmlPage page = wc.goTo("manage/platformsh-deliveries/");
        String html = page.getWebResponse().getContentAsString();
        DomElement newest = page.getElementById("platformsh-deliveries").getFirstByXPath(".//tbody/tr");
        String text = newest.asNormalizedText();
        assertTrue(text.contains("225 jobs: environment nowhere is not theirs"), text);
        assertTrue(text.contains("75 jobs: event environment.push is not one of [environment.merge]"), text);
        assertFalse(html.contains("staging-17") || html.contains("main-3"), "no job is named");
        System.out.println("Deliveries page, 300 jobs x 200 deliveries: " + html.length() + " characters, " + empty
                + " with no delivery, so " + (html.length() - empty) / 200 + " per delivery: " + text);
        // Every job listed with its reason, as before, would be about 300 x 200 x 100 characters: 6 MB.
        assertTrue(html.length() - empty < 200 * 2_000, "at most 2,000 characters per delivery: " + html.length());
    }

    @Test
    void theDeliveryPageFiltersAndPaginatesEveryJob() throws Exception {
        manyJobs();
        String id = deliver(Deliveries.sample("push-main.json"));
        JenkinsRule.WebClient wc = r.createWebClient().login("admin");
        String base = "manage/platformsh-deliveries/delivery/" + id + "/";

        HtmlPage first = wc.goTo(base);
        assertEquals("Jobs 1 to 50 of 300", range(first));
        assertEquals(50, rows(first));
        assertNull(first.getFirstByXPath("//a[@class='platformsh-previous']"));

        // The form filters by name: staging-1, staging-10..19, staging-100..199.
        HtmlForm filter = (HtmlForm) first.getElementById("platformsh-job-filter");
        filter.getInputByName("q").setValue("STAGING-1");
        HtmlPage filtered = r.submit(filter);
        assertEquals("Jobs 1 to 50 of 111 whose name contains \"STAGING-1\"", range(filtered));
        String rows = filtered.getElementById("platformsh-jobs").asNormalizedText();
        assertTrue(rows.contains("staging-120") && rows.contains("not matched"), rows);
        assertFalse(rows.contains("main-") || rows.contains("merges-") || rows.contains("staging-2"), rows);

        HtmlAnchor next = filtered.getFirstByXPath("//a[@class='platformsh-next']");
        HtmlPage second = next.click();
        assertEquals("Jobs 51 to 100 of 111 whose name contains \"STAGING-1\"", range(second));
        HtmlPage third = ((HtmlAnchor) second.getFirstByXPath("//a[@class='platformsh-next']")).click();
        assertEquals("Jobs 101 to 111 of 111 whose name contains \"STAGING-1\"", range(third));
        assertEquals(11, rows(third));
        // Each name links to its job.
        List<HtmlAnchor> names = third.getElementById("platformsh-jobs").getByXPath(".//tbody/tr/td[1]/a");
        assertEquals(11, names.size());
        for (HtmlAnchor a : names) {
            assertEquals(
                    r.jenkins.getItemByFullName(a.getTextContent()).getUrl(),
                    a.getHrefAttribute().substring(a.getHrefAttribute().indexOf("job/")),
                    a.getTextContent());
        }
        assertNull(third.getFirstByXPath("//a[@class='platformsh-next']"), "the last page has no next");
        HtmlPage back = ((HtmlAnchor) third.getFirstByXPath("//a[@class='platformsh-previous']")).click();
        assertEquals("Jobs 51 to 100 of 111 whose name contains \"STAGING-1\"", range(back));

        HtmlPage matched = wc.goTo(base + "?q=main-");
        String matchedRows = matched.getElementById("platformsh-jobs").asNormalizedText();
        assertEquals("Jobs 1 to 25 of 25 whose name contains \"main-\"", range(matched));
        assertFalse(matchedRows.contains("not matched"), matchedRows);

        // Whatever the query, no error page and no markup from it.
        HtmlPage odd = wc.goTo(base + "?q=%3Cb%3Ex%26y&start=-7");
        assertNotNull(odd.getElementById("platformsh-jobs-none"));
        assertFalse(odd.getWebResponse().getContentAsString().contains("<b>x"), "the filter is escaped");
        assertEquals("Jobs 251 to 300 of 300", range(wc.goTo(base + "?start=9999")), "past the end: the last page");
        assertEquals("Jobs 1 to 50 of 300", range(wc.goTo(base + "?start=abc")));
    }

    @Test
    void theDeliveryPageShowsTheAnswerThePayloadAndTheReplayForm() throws Exception {
        FreeStyleProject p = Deliveries.freestyle(r, "deploy", new PlatformshTrigger());
        String evil = Deliveries.sample("push-main.json").replace("Test Author", "Test <i>Author</i>");
        String id = deliver(evil);
        assertEquals(1, p.getBuilds().size());

        HtmlPage page = r.createWebClient().login("admin").goTo("manage/platformsh-deliveries/delivery/" + id + "/");
        String answer = page.getElementById("platformsh-delivery-answer").asNormalizedText();
        assertTrue(answer.contains("200 ACCEPTED"), answer);
        assertTrue(answer.contains("shared key"), "the verification: " + answer);
        assertTrue(answer.contains("activity tstact0000001"), answer);
        DomElement crumb = page.getFirstByXPath("//li[@aria-current='page']");
        assertNotNull(crumb, "the breadcrumb ends with this delivery");
        assertTrue(crumb.asNormalizedText().contains(id), crumb.asNormalizedText());
        String payload = page.getElementById("platformsh-delivery-payload").asNormalizedText();
        assertTrue(payload.contains("tstact0000001") && payload.contains("Author"), payload);
        assertFalse(page.getWebResponse().getContentAsString().contains("<i>Author"), "escaped");
        HtmlAnchor build = page.getFirstByXPath("//ul[@id='platformsh-delivery-builds']//a[@class='platformsh-build']");
        assertTrue(build.getHrefAttribute().endsWith("/job/deploy/1/"), build.getHrefAttribute());

        HtmlForm replay = page.getFormByName("replay");
        assertEquals(id, replay.getInputByName("delivery").getValue());
        ((HtmlCheckBoxInput) replay.getInputByName("buildAgain")).setChecked(true);
        HtmlPage result = r.submit(replay);
        assertTrue(
                result.getElementById("platformsh-replay-answer")
                        .asNormalizedText()
                        .contains("replay accepted"),
                result.asNormalizedText());
        r.waitUntilNoActivity();
        assertEquals(2, p.getBuilds().size(), "the form's POST replayed it");

        DeliveryLog.Entry replayEntry =
                PlatformshTriggers.get().service().log().newestFirst().get(0);
        assertEquals(id, replayEntry.replayOf());
    }

    @Test
    void onlyAdministratorsSeeADeliverysPage() throws Exception {
        Deliveries.freestyle(r, "deploy", new PlatformshTrigger());
        String id = deliver(Deliveries.sample("push-main.json"));
        JenkinsRule.WebClient reader = r.createWebClient().login("reader");
        reader.setThrowExceptionOnFailingStatusCode(false);
        assertEquals(
                403,
                reader.goTo("manage/platformsh-deliveries/delivery/" + id + "/")
                        .getWebResponse()
                        .getStatusCode());
        JenkinsRule.WebClient admin = r.createWebClient().login("admin");
        admin.setThrowExceptionOnFailingStatusCode(false);
        assertEquals(
                404,
                admin.goTo("manage/platformsh-deliveries/delivery/d999999/")
                        .getWebResponse()
                        .getStatusCode(),
                "a delivery no longer in the log");
    }

    private static String range(HtmlPage page) {
        DomElement e = page.getElementById("platformsh-jobs-range");
        assertNotNull(e, page.asNormalizedText());
        return e.asNormalizedText();
    }

    private static int rows(HtmlPage page) {
        return page.getElementById("platformsh-jobs").getByXPath(".//tbody/tr").size();
    }
}
