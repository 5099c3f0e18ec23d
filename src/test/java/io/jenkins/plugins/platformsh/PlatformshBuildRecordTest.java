package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Run;
import io.jenkins.plugins.platformsh.delivery.redact.Redactor;
import io.jenkins.plugins.platformsh.delivery.schedule.ActivityRecord;
import io.jenkins.plugins.platformsh.trigger.PlatformshDeliveryAction;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** What a build keeps of its delivery (build.xml), what the step reads back, and what the build page shows. */
@WithJenkins
class PlatformshBuildRecordTest {

    private JenkinsRule r;
    private String push;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        r = rule;
        r.jenkins.setQuietPeriod(0);
        Deliveries.configureSharedKey("psh-key", Deliveries.SHARED_KEY);
        push = Deliveries.sample("push-main.json");
    }

    private WorkflowJob pipeline(String name, String script) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(script, true));
        p.addTrigger(new PlatformshTrigger()); // WorkflowJob starts it
        return p;
    }

    private <R extends Run<?, ?>> R deliver(String body, java.util.function.Supplier<R> lastBuild) throws Exception {
        assertEquals(200, Deliveries.postSigned(r, body, Deliveries.SHARED_KEY).getStatusCode());
        r.waitUntilNoActivity();
        R b = lastBuild.get();
        assertNotNull(b, "a build was queued");
        return b;
    }

    private static long buildXmlBytes(Run<?, ?> b) {
        return new File(b.getRootDir(), "build.xml").length();
    }

    @Test
    void buildXmlKeepsTheActivityWithinTheRedactedBodyPlus4KiB() throws Exception {
        WorkflowJob p = pipeline(
                "compact",
                "def a = platformshActivity()\n"
                        + "echo \"ID=${a.payload.id} DEPLOY=${a.payload.timings.deploy} TRUNC=${a.payloadTruncated}\"");
        WorkflowRun b = deliver(push, p::getLastBuild);
        r.assertBuildStatusSuccess(b);
        r.assertLogContains("ID=tstact0000001 DEPLOY=10.25 TRUNC=false", b);
        r.assertLogNotContains("platformshActivity(): the redacted payload", b);

        long redacted = Redactor.redact(push.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8).length;
        long xml = buildXmlBytes(b);
        assertTrue(xml <= redacted + 4096, "build.xml " + xml + " bytes for a redacted body of " + redacted);
        String stored = new String(
                java.nio.file.Files.readAllBytes(new File(b.getRootDir(), "build.xml").toPath()),
                StandardCharsets.UTF_8);
        String action = stored.substring(
                stored.indexOf("<io.jenkins.plugins.platformsh.trigger.PlatformshDeliveryAction>"),
                stored.indexOf("</io.jenkins.plugins.platformsh.trigger.PlatformshDeliveryAction>"));
        assertFalse(action.contains("<entry>"), "no map entries: " + action);
        assertFalse(stored.contains("basic-auth-password-never-shown"));
        assertFalse(stored.contains("deployment-variable-never-shown"));
    }

    @Test
    void anOversizedPayloadIsLeftOutAndTheStepSaysSo() throws Exception {
        WorkflowJob p = pipeline(
                "oversized",
                "def a = platformshActivity()\n"
                        + "echo \"ENV=${a.environment} COMMIT=${a.commit} TRUNC=${a.payloadTruncated} HAS=${a.containsKey('payload')}\"");
        String big = push.replace(
                "\"timings\":", "\"padding\": \"" + "p".repeat(ActivityRecord.MAX_JSON_BYTES) + "\",\n  \"timings\":");
        WorkflowRun b = deliver(big, p::getLastBuild);
        r.assertBuildStatusSuccess(b);
        r.assertLogContains("ENV=main COMMIT=2222222222222222222222222222222222222222 TRUNC=true HAS=false", b);
        r.assertLogContains(
                "over the 262,144 bytes a build keeps, so payload is absent and payloadTruncated is true", b);
        assertTrue(buildXmlBytes(b) < 16 * 1024, "build.xml is bounded: " + buildXmlBytes(b));
    }

    @Test
    void anActionStoredByAnEarlierVersionIsStillRead() {
        String old =
                """
                <io.jenkins.plugins.platformsh.trigger.PlatformshDeliveryAction>
                  <deliveryId>d7</deliveryId>
                  <coalesceKey>testproject123/main</coalesceKey>
                  <variables>
                    <entry><string>PLATFORMSH_ENVIRONMENT</string><string>main</string></entry>
                  </variables>
                  <activity>
                    <entry><string>kind</string><string>activity</string></entry>
                    <entry><string>environment</string><string>main</string></entry>
                    <entry><string>commits</string><list><linked-hash-map>
                      <entry><string>sha</string><string>2222</string></entry>
                    </linked-hash-map></list></entry>
                    <entry><string>variables</string><linked-hash-map>
                      <entry><string>PLATFORMSH_ENVIRONMENT</string><string>main</string></entry>
                    </linked-hash-map></entry>
                    <entry><string>payload</string><linked-hash-map>
                      <entry><string>id</string><string>tstact0000001</string></entry>
                      <entry><string>completion_percent</string><long>100</long></entry>
                      <entry><string>updated_at</string><null/></entry>
                    </linked-hash-map></entry>
                  </activity>
                </io.jenkins.plugins.platformsh.trigger.PlatformshDeliveryAction>
                """;
        PlatformshDeliveryAction a = (PlatformshDeliveryAction) Run.XSTREAM2.fromXML(old);
        Map<String, Object> view = a.getActivity();
        assertEquals("main", view.get("environment"));
        assertEquals(List.of(Map.of("sha", "2222")), view.get("commits"));
        assertEquals(Map.of("PLATFORMSH_ENVIRONMENT", "main"), view.get("variables"));
        Map<?, ?> payload = (Map<?, ?>) view.get("payload");
        assertEquals("tstact0000001", payload.get("id"));
        assertEquals(100L, payload.get("completion_percent"));
        assertTrue(payload.containsKey("updated_at"));
        assertEquals(Boolean.FALSE, view.get(ActivityRecord.PAYLOAD_TRUNCATED));
        assertEquals("d7", a.getDeliveryId());
        assertEquals(Map.of("PLATFORMSH_ENVIRONMENT", "main"), a.getVariables(), "the environment of a resumed build");

        String saved = Run.XSTREAM2.toXML(a);
        assertFalse(saved.contains("<activity>"), "saved again in the compact form only: " + saved);
        assertTrue(saved.contains("<record>z1:"), saved);
    }

    @Test
    void theBuildPageShowsCommitUrlAndDeliveryWithoutRepeatingTheCause() throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER)
                .everywhere()
                .to("admin")
                .grant(Jenkins.READ, hudson.model.Item.READ)
                .everywhere()
                .to("reader"));
        FreeStyleProject p = Deliveries.freestyle(r, "fs", new PlatformshTrigger());
        FreeStyleBuild b = deliver(push, p::getLastBuild);
        String deliveryId = b.getAction(PlatformshDeliveryAction.class).getDeliveryId();

        HtmlPage page = r.createWebClient().login("admin").getPage(b);
        DomElement commit = page.getFirstByXPath("//code[@class='platformsh-commit']");
        assertNotNull(commit, page.asXml());
        assertEquals("2222222", commit.getTextContent().trim());
        assertEquals("2222222222222222222222222222222222222222", commit.getAttribute("title"));
        HtmlAnchor url = page.getFirstByXPath("//a[@class='platformsh-url']");
        assertEquals("https://main-abc1234.example.test/", url.getHrefAttribute());
        HtmlAnchor delivery = page.getFirstByXPath("//a[@class='platformsh-delivery-link']");
        assertNotNull(delivery);
        assertTrue(
                delivery.getHrefAttribute().endsWith("/manage/platformsh-deliveries/delivery/" + deliveryId + "/"),
                delivery.getHrefAttribute());
        HtmlPage deliveries = delivery.click();
        assertEquals(200, deliveries.getWebResponse().getStatusCode());
        assertTrue(
                deliveries.getWebResponse().getContentAsString().contains("tstact0000001"),
                "the link lands on the delivery's own page, which names its activity");

        String summary =
                ((DomElement) page.getFirstByXPath("//table[@class='platformsh-delivery']")).asNormalizedText();
        assertTrue(summary.contains("testproject123") && summary.contains("tstact0000001"), summary);
        assertFalse(summary.contains("environment.push"), "the cause says it already: " + summary);
        assertFalse(page.asNormalizedText().contains("main(project"), page.asNormalizedText());

        HtmlPage asReader = r.createWebClient().login("reader").getPage(b);
        assertNotNull(asReader.getFirstByXPath("//code[@class='platformsh-commit']"));
        assertNull(
                asReader.getFirstByXPath("//a[@class='platformsh-delivery-link']"),
                "the deliveries page is for administrators: no link for others");
    }

    @Test
    void aUrlThatIsNotHttpIsShownAsEscapedTextNotALink() throws Exception {
        FreeStyleProject p = Deliveries.freestyle(r, "fs", new PlatformshTrigger());
        String evil = push.replace(
                        "\"https://main-abc1234.example.test/\": {\"type\": \"upstream\"",
                        "\"javascript:alert('<x>')\": {\"type\": \"upstream\"")
                .replace(
                        "\"new_commit\": \"2222222222222222222222222222222222222222\"",
                        "\"new_commit\": \"2222\\\" onmouseover=\\\"alert(2)\"");
        FreeStyleBuild b = deliver(evil, p::getLastBuild);
        assertEquals(
                "javascript:alert('<x>')",
                b.getAction(PlatformshDeliveryAction.class).getSummary().url());

        HtmlPage page = r.createWebClient().getPage(b);
        assertNull(page.getFirstByXPath("//a[@class='platformsh-url']"), "never a link");
        DomElement text = page.getFirstByXPath("//span[@class='platformsh-url']");
        assertEquals("javascript:alert('<x>')", text.getTextContent().trim());
        assertFalse(page.getWebResponse().getContentAsString().contains("alert('<x>"), "escaped");
        DomElement commit = page.getFirstByXPath("//code[@class='platformsh-commit']");
        assertEquals("2222\" onmouseover=\"alert(2)", commit.getAttribute("title"), "the attribute is escaped");
        assertFalse(commit.hasAttribute("onmouseover"));
    }
}
