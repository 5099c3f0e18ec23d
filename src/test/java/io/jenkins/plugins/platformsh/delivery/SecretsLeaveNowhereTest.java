package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.BuildSummary;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLabels;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.schedule.ActivityRecord;
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import io.jenkins.plugins.platformsh.delivery.schedule.Variables;
import io.jenkins.plugins.platformsh.delivery.state.StateFormat;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, point 6: a secret inside a URL or a text of the payload reaches no value that leaves the delivery package
 * (the build's variables, its cause, its record, the summary link, the deliveries page and the state files), not only
 * the redacted payload.
 */
class SecretsLeaveNowhereTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Where each secret goes in the payload. */
    record Secrets(String routePassword, String textToken, String userPassword, String idToken, String linkKey) {
        List<String> all() {
            return List.of(routePassword, textToken, userPassword, idToken, linkKey);
        }
    }

    @Test
    void aRouteWithUserInfoAndATokenInTheTextReachNothing() throws Exception {
        Secrets s = new Secrets("PwROUTE", "TkTEXT", "PwUSER", "TkID", "KyLINK");
        List<String> out = everythingThatLeaves(s);
        assertNoSecret(s, out);
        // What is left is still useful: the host of the route, the text around the token, the link.
        Schedule first = decide(s).schedules().get(0);
        assertEquals("https://<redacted>@deploy.example.com/", first.variables().get(Variables.URL));
        assertEquals(
                "Jane pushed, see https://ci.example.com/job?token=<redacted> for details",
                first.variables().get(Variables.TEXT));
        assertEquals(
                "https://<redacted>@deploy.example.com/",
                BuildSummary.of(first.variables()).url());
        assertTrue(BuildSummary.of(first.variables()).urlIsLink());
        assertEquals(
                "https://deploy.example.com/",
                BuildSummary.of(first.variables()).link(),
                "a link to follow");
    }

    @Property(tries = 200)
    void noRandomSecretReachesAnyOutput(
            @ForAll("passwords") String routePassword,
            @ForAll("tokens") String textToken,
            @ForAll("passwords") String userPassword,
            @ForAll("tokens") String idToken,
            @ForAll("tokens") String linkKey)
            throws Exception {
        Secrets s = new Secrets(
                "Rp" + routePassword, "Tt" + textToken, "Up" + userPassword, "It" + idToken, "Lk" + linkKey);
        assertNoSecret(s, everythingThatLeaves(s));
    }

    private static void assertNoSecret(Secrets s, List<String> out) {
        for (String value : out) {
            for (String secret : s.all()) {
                assertFalse(value.contains(secret), () -> secret + " in " + value);
            }
        }
    }

    private static byte[] body(Secrets s) throws Exception {
        ObjectNode a = MAPPER.createObjectNode();
        a.put("id", "act-1?token=" + s.idToken());
        a.put("type", "environment.push");
        a.put("project", "proj1");
        a.putArray("environments").add("feature");
        a.put("state", "complete");
        a.put("result", "success");
        a.put("text", "Jane pushed, see https://ci.example.com/job?token=" + s.textToken() + " for details");
        a.put("description", "<user>Jane</user> pushed to https://ci.example.com/?api_key=" + s.linkKey());
        a.putObject("_links").putObject("self").put("href", "https://api.example.com/a?key=" + s.linkKey());
        a.putObject("parameters").put("environment", "feature").put("new_commit", "c0ffee");
        ObjectNode payload = a.putObject("payload");
        payload.putObject("user").put("display_name", "Jane https://jane:" + s.userPassword() + "@git.example.com");
        payload.putArray("commits")
                .addObject()
                .put("sha", "c0ffee")
                .put("message", "use https://bot:" + s.userPassword() + "@registry.example.com")
                .putObject("author")
                .put("name", "Jane");
        ObjectNode deployment = payload.putObject("deployment");
        deployment.putObject("environment_info").put("name", "feature").put("reference", "refs/heads/feature");
        ObjectNode routes = deployment.putObject("routes");
        routes.putObject("https://deploy:" + s.routePassword() + "@deploy.example.com/")
                .put("type", "upstream")
                .put("primary", true);
        routes.putObject("https://other.example.com/?signature=" + s.linkKey()).put("type", "upstream");
        return MAPPER.writeValueAsBytes(a);
    }

    private DeliveryLog log;
    private Deduplicator dedupe;

    private Outcome decide(Secrets s) throws Exception {
        TriggerIndex index = new TriggerIndex();
        index.put("builds-every-push", TriggerSpec.defaults());
        // A job that does not match: its reason quotes the delivery's values.
        index.put("main-only", TriggerSpec.builder().environments("main").build());
        log = new DeliveryLog(10);
        dedupe = new Deduplicator(10);
        DeliveryService service = new DeliveryService(
                index, dedupe, log, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        Outcome o = service.decide(Fixtures.signed(body(s)), DeliverySettings.defaults(), Fixtures.globalKey());
        assertEquals(Outcome.Kind.ACCEPTED, o.kind(), o.body());
        return o;
    }

    /** Every value the package hands out about the delivery, as text. */
    private List<String> everythingThatLeaves(Secrets s) throws Exception {
        Outcome o = decide(s);
        List<String> out = new ArrayList<>();
        out.add(o.body());
        for (Schedule sc : o.schedules()) {
            out.addAll(sc.variables().values());
            out.add(sc.causeText());
            out.add(sc.causeHtml());
            String encoded = sc.record().encoded();
            out.add(String.valueOf(ActivityRecord.view(encoded)));
            out.addAll(ActivityRecord.variables(encoded).values());
            out.add(sc.redactedPayload());
            out.add(String.valueOf(BuildSummary.of(sc.variables()).url()));
            out.add(String.valueOf(BuildSummary.of(sc.variables()).link()));
        }
        for (DeliveryLog.Entry e : log.newestFirst()) {
            out.addAll(DeliveryLabels.activity(e));
            out.add(e.reason());
            out.add(String.valueOf(e.activityId()));
            for (MatchResult.TargetResult t : e.targets()) {
                out.add(t.reason());
            }
        }
        out.add(new String(StateFormat.logToJson(log), StandardCharsets.UTF_8));
        out.add(new String(StateFormat.dedupeToJson(dedupe), StandardCharsets.UTF_8));
        return out;
    }

    @Provide
    Arbitrary<String> passwords() {
        // What a password in a URL's user information may hold, written by hand: no / ? # or blank, which end it.
        return Arbitraries.strings()
                .withChars("abcXYZ019!$%()*+,-.:;=_~@\u00e9\u4e2d")
                .ofMinLength(4)
                .ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> tokens() {
        // What a query parameter's value may hold: no & # or blank, which end it.
        return Arbitraries.strings()
                .withChars("abcXYZ019-._~%+/=:;@!$()*,")
                .ofMinLength(4)
                .ofMaxLength(40);
    }
}
