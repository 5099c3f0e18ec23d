package io.jenkins.plugins.platformsh.delivery.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.text.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ActivityParserTest {

    @Test
    void push2022() throws Exception {
        Activity a = Fixtures.parse("push-2022.json");
        assertEquals(Activity.Kind.ACTIVITY, a.kind());
        assertEquals("act2022push01", a.id());
        assertEquals("environment.push", a.type());
        assertEquals("proj2022abcdefg", a.project());
        assertEquals(List.of("main"), a.environments());
        assertEquals("main", a.environment());
        assertEquals("main-bvxea6i", a.machineName());
        assertEquals("production", a.environmentType());
        assertEquals("refs/heads/main", a.gitRef());
        assertEquals("main", a.branch());
        assertEquals("2222222222222222222222222222222222222222", a.headCommit());
        assertEquals("1111111111111111111111111111111111111111", a.previousCommit());
        assertNull(a.parentEnvironment());
        assertEquals("Jane Doe", a.userName());
        assertEquals("complete", a.state());
        assertEquals("success", a.result());
        assertEquals("2024-03-01T10:00:00.000000+00:00", a.createdAt());
        assertEquals("2024-03-01T10:01:00.000000+00:00", a.completedAt());
        assertEquals("Jane Doe pushed to Main", a.text());
        assertTrue(a.description().startsWith("<user"));
        assertEquals("https://eu-5.platform.sh/api/projects/proj2022abcdefg/activities/act2022push01", a.url());
        assertEquals(
                List.of(new Activity.Commit(
                        "2222222222222222222222222222222222222222", "Jane Doe", "jane@example.com", "Add cron")),
                a.commits());
        assertEquals(1, a.commitsCount());
        assertEquals(
                List.of(
                        new Activity.Route("https://main-bvxea6i.eu-5.platformsh.site/", true),
                        new Activity.Route("https://api.main-bvxea6i.eu-5.platformsh.site/", false)),
                a.routes(),
                "upstream routes only, primary first; the redirect is left out");
        assertEquals("https://main-bvxea6i.eu-5.platformsh.site/", a.primaryUrl());
        assertEquals("act2022push01|complete", a.dedupeKey());
    }

    @Test
    void push2015HasNoDeploymentNoLinks() throws Exception {
        Activity a = Fixtures.parse("push-2015.json");
        assertEquals("master", a.environment());
        assertEquals("master", a.branch(), "without a git reference the branch is the environment");
        assertNull(a.machineName());
        assertNull(a.url());
        assertTrue(a.routes().isEmpty());
        assertNull(a.primaryUrl());
        assertEquals("Old Timer", a.userName());
    }

    @Test
    void push2017WithoutPrimaryFlagPrefersHttps() throws Exception {
        Activity a = Fixtures.parse("push-2017.json");
        assertEquals("master-7rqtwti", a.machineName());
        assertEquals("https://master-7rqtwti-proj2017.eu.platform.sh/", a.primaryUrl());
    }

    @Test
    void merge() throws Exception {
        Activity a = Fixtures.parse("merge.json");
        assertEquals("environment.merge", a.type());
        assertEquals("feature-login", a.mergeFrom());
        assertEquals("main", a.mergeInto());
        assertEquals("main", a.environment(), "a merge is about the environment it deploys: the one merged into");
        assertEquals("main-bvxea6i", a.machineName());
        assertNull(a.headCommit(), "no new_commit; payload.environment.head_commit is not known to be the new commit");
        assertTrue(a.commits().isEmpty());
        assertEquals(0, a.commitsCount());
    }

    @Test
    void branchInProgressHasNullResultAndParent() throws Exception {
        Activity a = Fixtures.parse("branch-in-progress.json");
        assertEquals("in_progress", a.state());
        assertNull(a.result());
        assertEquals("main", a.parentEnvironment());
        assertEquals("feature-x", a.environment(), "a branch is about the new environment, not its parent");
        assertEquals("feature-x-abc1234", a.machineName());
        assertEquals("development", a.environmentType());
    }

    @Test
    void healthNotification() throws Exception {
        Activity a = Fixtures.parse("health.json");
        assertEquals(Activity.Kind.HEALTH, a.kind());
        assertEquals("health.disk", a.type());
        assertEquals("healthproj01", a.project());
        assertEquals("main", a.environment(), "the name, from the machine name of the origin");
        assertEquals("main-abc1234", a.machineName());
        assertEquals("disk", a.healthComponent());
        assertEquals("persistent", a.healthSubcomponent());
        assertEquals("critical", a.healthSeverity());
        assertEquals("disk usage above 95%", a.healthMessage());
        assertEquals("db", a.healthService());
        assertEquals("0", a.healthInstance());
        assertEquals("2024-05-01T10:00:00.000000+00:00", a.createdAt());
        assertTrue(a.id().matches("health-[0-9a-f]{20}"), a.id());
        assertEquals(a.id(), Fixtures.parse("health.json").id(), "the same notification has the same id");
        assertTrue(a.dedupeKey().startsWith("health|"));
        Activity other =
                ActivityParser.parse(Fixtures.utf8(Fixtures.text("health.json").replace("95%", "96%")));
        assertTrue(!other.id().equals(a.id()), "another notification has another id");
    }

    @Test
    void unknownTypeAndFieldsAreTolerated() throws Exception {
        Activity a = Fixtures.parse("future-type.json");
        assertEquals("environment.teleport", a.type());
        assertEquals("main", a.environment());
    }

    @Test
    void byteOrderMarkIsSkipped() throws Exception {
        byte[] body = Fixtures.bytes("merge.json");
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        assertEquals("actmerge0001", ActivityParser.parse(withBom).id());
    }

    @Test
    void wrongTypesOfOptionalFieldsReadAsAbsent() throws Exception {
        Activity a = ActivityParser.parse(Fixtures.utf8("{\"id\":\"x\",\"type\":\"environment.push\",\"project\":[1],"
                + "\"environments\":\"main\",\"state\":{\"a\":1},\"result\":true,\"parameters\":[\"environment\"],"
                + "\"payload\":{\"user\":\"Jane\",\"environment\":7,\"commits\":[\"abc\",{\"sha\":5},{\"author\":[]}],"
                + "\"commits_count\":\"many\",\"deployment\":{\"routes\":[\"https://x/\"],\"environment_info\":null}},"
                + "\"_links\":{\"self\":\"not an object\"}}"));
        assertNull(a.project());
        assertTrue(a.environments().isEmpty());
        assertNull(a.state());
        assertEquals("true", a.result());
        assertNull(a.environment());
        assertNull(a.userName());
        assertEquals(
                List.of(new Activity.Commit("abc", null, null, null), new Activity.Commit("5", null, null, null)),
                a.commits(),
                "a plain string is a sha, a numeric sha is still text, an object without sha is skipped");
        assertTrue(a.routes().isEmpty());
    }

    @Test
    void nonScalarRouteFlagsAreConsumedWhole() throws Exception {
        // Found by the property tests: an object where "primary" holds a boolean used to desynchronise the parser.
        Activity a = ActivityParser.parse(
                Fixtures.utf8("{\"id\":\"a\",\"type\":\"environment.push\",\"payload\":{\"deployment\":"
                        + "{\"routes\":{\"https://x/\":{\"primary\":{\"a\":[1]},\"type\":\"upstream\"},"
                        + "\"https://y/\":{\"primary\":[true],\"type\":\"upstream\"}}}},\"state\":\"complete\"}"));
        assertEquals(
                List.of(new Activity.Route("https://x/", false), new Activity.Route("https://y/", false)), a.routes());
        assertEquals("complete", a.state());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|the body is empty",
                "'   \n '|the body is empty",
                "[]|the body is not a JSON object",
                "\"text\"|the body is not a JSON object",
                "42|the body is not a JSON object",
                "{|the body is not valid JSON (line 1, column 2)",
                "{\"id\":\"a\",\"type\":\"t\"} {}|the body has content after its JSON object",
                "{\"id\":\"a\",\"type\":\"t\"} x|the body is not valid JSON (line 1, column 24)",
                "{\"type\":\"environment.push\"}|the activity has no id",
                "{\"id\":\"\",\"type\":\"environment.push\"}|the activity has no id",
                "{\"id\":\"a\"}|the activity has no type",
                "{\"id\":1,\"type\":\"environment.push\"}|the field 'id' is not a string",
                "{\"id\":\"a\",\"type\":{\"x\":1}}|the field 'type' is not a string",
                "{\"event\":[],\"project\":{}}|the activity has no id",
                "{\"id\":\"a\",'type':\"t\"}|the body is not valid JSON (line 1, column 11)"
            })
    void rejectionsHaveShortReasons(String body, String reason) {
        MalformedDeliveryException e =
                assertThrows(MalformedDeliveryException.class, () -> ActivityParser.parse(Fixtures.utf8(body)));
        assertEquals(reason, e.getMessage());
        assertEquals(0, e.getStackTrace().length, "no stack trace is ever built for bad input");
    }

    @Test
    void absurdNestingIsATypedRejection() {
        String deep = "{\"id\":\"a\",\"type\":\"t\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        MalformedDeliveryException e =
                assertThrows(MalformedDeliveryException.class, () -> ActivityParser.parse(Fixtures.utf8(deep)));
        assertEquals("the body nests too deeply or has an oversized value", e.getMessage());
    }

    @Test
    void nestingWithinTheLimitIsFine() throws Exception {
        int depth = Json.MAX_DEPTH - 2;
        String ok = "{\"id\":\"a\",\"type\":\"t\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        assertEquals("a", ActivityParser.parse(Fixtures.utf8(ok)).id());
    }

    @Test
    void unicodeAndHtmlComeThroughVerbatim() throws Exception {
        Activity a = ActivityParser.parse(Fixtures.utf8("{\"id\":\"a\",\"type\":\"environment.push\","
                + "\"parameters\":{\"environment\":\"f\\u00e9ature-\\ud83d\\ude80\"},"
                + "\"payload\":{\"user\":{\"display_name\":\"<script>alert(1)</script> \u202Eevil\"}}}"));
        assertEquals("féature-\uD83D\uDE80", a.environment());
        assertEquals("<script>alert(1)</script> \u202Eevil", a.userName());
    }

    @Test
    void hugeLogIsSkipped() throws Exception {
        String body = "{\"id\":\"a\",\"type\":\"environment.push\",\"log\":\"" + "x".repeat(5_000_000)
                + "\",\"state\":\"complete\"}";
        Activity a = ActivityParser.parse(Fixtures.utf8(body));
        assertEquals("complete", a.state(), "fields after the log are still read");
    }

    /** The top-level log's bytes, measured while stepping over it: what a redacted copy leaves out. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no log | {'id':'a','type':'environment.push'} | 0",
                "string first | {'log':'abcdef','id':'a','type':'environment.push'} | 9",
                "string last | {'id':'a','type':'environment.push','log':'abcdef'} | 8",
                "object | {'log':{'x':[1,2]},'id':'a','type':'environment.push'} | 12",
                "array last, spaces | {'id':'a','type':'environment.push', 'log' : [ 'l1' , 'l2' ] } | 16",
                "number | {'log':12345,'id':'a','type':'environment.push'} | 6",
                "null | {'log':null,'id':'a','type':'environment.push'} | 5",
                "two logs | {'log':'ab','id':'a','log':'cd','type':'environment.push'} | 10",
                "nested log is not the log | {'id':'a','type':'environment.push','payload':{'log':'abcdef'}} | 0",
            })
    void measuresTheTopLevelLogWithoutDecodingIt(String name, String json, long expected) throws Exception {
        Activity a = ActivityParser.parse(json.replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(expected, a.logBytes(), name);
        assertEquals("a", a.id(), "the rest is read as before");
        assertEquals("environment.push", a.type());
    }
}
