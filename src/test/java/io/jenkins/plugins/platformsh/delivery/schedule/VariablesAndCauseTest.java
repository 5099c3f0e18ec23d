package io.jenkins.plugins.platformsh.delivery.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.redact.Redactor;
import io.jenkins.plugins.platformsh.delivery.text.Html;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VariablesAndCauseTest {

    @Test
    void pushVariables() throws Exception {
        Map<String, String> v = Variables.of(Fixtures.parse("push-2022.json"));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("PLATFORMSH_ACTIVITY_ID", "act2022push01");
        expected.put(
                "PLATFORMSH_ACTIVITY_URL",
                "https://eu-5.platform.sh/api/projects/proj2022abcdefg/activities/act2022push01");
        expected.put("PLATFORMSH_EVENT", "environment.push");
        expected.put("PLATFORMSH_PROJECT", "proj2022abcdefg");
        expected.put("PLATFORMSH_ENVIRONMENT", "main");
        expected.put("PLATFORMSH_ENVIRONMENT_TYPE", "production");
        expected.put("PLATFORMSH_BRANCH", "main");
        expected.put("PLATFORMSH_GIT_REF", "refs/heads/main");
        expected.put("PLATFORMSH_MACHINE_NAME", "main-bvxea6i");
        expected.put("PLATFORMSH_COMMIT", "2222222222222222222222222222222222222222");
        expected.put("PLATFORMSH_PREVIOUS_COMMIT", "1111111111111111111111111111111111111111");
        expected.put("PLATFORMSH_COMMITS_COUNT", "1");
        expected.put("PLATFORMSH_COMMIT_MESSAGE", "Add cron");
        expected.put("PLATFORMSH_COMMIT_AUTHOR", "Jane Doe");
        expected.put("PLATFORMSH_STATE", "complete");
        expected.put("PLATFORMSH_RESULT", "success");
        expected.put("PLATFORMSH_USER", "Jane Doe");
        expected.put("PLATFORMSH_URL", "https://main-bvxea6i.eu-5.platformsh.site/");
        expected.put(
                "PLATFORMSH_ROUTES",
                "https://main-bvxea6i.eu-5.platformsh.site/ https://api.main-bvxea6i.eu-5.platformsh.site/");
        expected.put("PLATFORMSH_CREATED_AT", "2024-03-01T10:00:00.000000+00:00");
        expected.put("PLATFORMSH_COMPLETED_AT", "2024-03-01T10:01:00.000000+00:00");
        expected.put("PLATFORMSH_TEXT", "Jane Doe pushed to Main");
        assertEquals(expected, v);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(v.keySet()), "documentation order");
        assertTrue(Variables.NAMES.containsAll(v.keySet()));
    }

    @Test
    void mergeVariablesOnlyWhenPresent() throws Exception {
        Map<String, String> merge = Variables.of(Fixtures.parse("merge.json"));
        assertEquals("feature-login", merge.get(Variables.MERGE_FROM));
        assertEquals("main", merge.get(Variables.MERGE_INTO));
        assertFalse(merge.containsKey(Variables.COMMITS_COUNT));
        assertFalse(merge.containsKey(Variables.URL));
        Map<String, String> push = Variables.of(Fixtures.parse("push-2022.json"));
        assertFalse(push.containsKey(Variables.MERGE_FROM), "absent, not empty");
    }

    @Test
    void healthVariables() throws Exception {
        Map<String, String> v = Variables.of(Fixtures.parse("health.json"));
        assertEquals("health.disk", v.get(Variables.EVENT));
        assertEquals("disk", v.get(Variables.HEALTH_COMPONENT));
        assertEquals("persistent", v.get(Variables.HEALTH_SUBCOMPONENT));
        assertEquals("critical", v.get(Variables.HEALTH_SEVERITY));
        assertEquals("disk usage above 95%", v.get(Variables.HEALTH_MESSAGE));
        assertEquals("db", v.get(Variables.HEALTH_SERVICE));
        assertEquals("0", v.get(Variables.HEALTH_INSTANCE));
        assertNull(v.get(Variables.STATE));
    }

    @Test
    void variableNamesAreUniqueAndPrefixed() {
        assertEquals(Variables.NAMES.size(), Variables.NAMES.stream().distinct().count());
        assertTrue(Variables.NAMES.stream().allMatch(n -> n.matches("PLATFORMSH_[A-Z_]+")));
    }

    @Test
    void causeText() throws Exception {
        assertEquals(
                "Platform.sh environment.push on main by Jane Doe", CauseText.plain(Fixtures.parse("push-2022.json")));
        assertEquals(
                "Platform.sh environment.cron on main by Platform.sh Bot",
                CauseText.plain(Fixtures.parse("cron.json")));
        assertEquals(
                "Platform.sh health.disk on main (critical): disk usage above 95%",
                CauseText.plain(Fixtures.parse("health.json")));
    }

    @Test
    void causeTextOfHostilePayloads() throws Exception {
        Activity a = ActivityParser.parse(
                Fixtures.utf8("{\"id\":\"a\",\"type\":\"environment.push<img src=x onerror=alert(1)>\","
                        + "\"parameters\":{\"environment\":\"main\\n\\rInjected: yes\"},"
                        + "\"payload\":{\"user\":{\"display_name\":\"<script>alert('x')</script> & \\\"Co\\\" \u00e9\ud83d\ude80"
                        + "y".repeat(300) + "\"}}}"));
        String plain = CauseText.plain(a);
        assertFalse(plain.contains("\n"));
        assertFalse(plain.contains("\r"));
        assertTrue(plain.contains("<script>alert('x')</script> & \"Co\" \u00e9\ud83d\ude80"), "verbatim in plain text");
        assertTrue(plain.length() < 700, "bounded");
        String html = CauseText.html(a);
        assertFalse(html.contains("<"));
        assertFalse(html.contains(">"));
        assertFalse(html.contains("'"));
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot; \u00e9"));
        assertEquals("", Html.escape(null));
        assertEquals("plain", Html.escape("plain"));
    }

    @Test
    void activityViewIsPlainSerializableData() throws Exception {
        String redacted = Redactor.redact(Fixtures.bytes("push-2022.json"));
        Map<String, Object> m = ActivityView.toMap(Fixtures.parse("push-2022.json"), redacted);
        assertEquals("main", m.get("environment"));
        assertEquals("environment.push", m.get("type"));
        assertEquals("2222222222222222222222222222222222222222", m.get("commit"));
        assertEquals("activity", m.get("kind"));
        assertInstanceOf(List.class, m.get("commits"));
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) m.get("payload");
        assertEquals("act2022push01", payload.get("id"));
        assertEquals(100L, payload.get("completion_percent"));
        assertFalse(payload.containsKey("log"));
        @SuppressWarnings("unchecked")
        Map<String, String> vars = (Map<String, String>) m.get("variables");
        assertEquals("main", vars.get("PLATFORMSH_BRANCH"));
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(m); // Pipeline keeps step results in its program state
        }
        Map<String, Object> health = ActivityView.toMap(Fixtures.parse("health.json"), null);
        assertFalse(health.containsKey("payload"));
        assertInstanceOf(Map.class, health.get("health"));
    }
}
