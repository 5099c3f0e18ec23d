package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.activity.MalformedDeliveryException;
import io.jenkins.plugins.platformsh.delivery.match.Coalesce;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.schedule.ActivityRecord;
import io.jenkins.plugins.platformsh.delivery.schedule.CauseText;
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import io.jenkins.plugins.platformsh.delivery.schedule.Variables;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An activity is about one environment: its variables, the filters, the coalesce key, the cause and the deliveries
 * page all describe the same one, and data of another environment in the payload is never mixed in.
 */
class OneEnvironmentPerActivityTest {

    private static final Verification GLOBAL = Verification.verified(Set.of("global-key"), true, "signature");

    private static Map<String, String> vars(String fixture) throws Exception {
        return Variables.of(Fixtures.parse(fixture));
    }

    private static Activity parse(String json) throws MalformedDeliveryException {
        return ActivityParser.parse(Fixtures.utf8(json));
    }

    private static String why(TriggerSpec.Builder spec, Activity a) {
        return spec.states("*").events("*").build().mismatch(a, GLOBAL);
    }

    /** Environment, machine name, type, parent, in that order; absent is null. */
    private static void assertEnvironment(List<String> expected, Map<String, String> v) {
        assertEquals(
                expected,
                java.util.Arrays.asList(
                        v.get(Variables.ENVIRONMENT),
                        v.get(Variables.MACHINE_NAME),
                        v.get(Variables.ENVIRONMENT_TYPE),
                        v.get(Variables.PARENT_ENVIRONMENT)),
                v::toString);
    }

    private static List<String> env(String name, String machineName, String type, String parent) {
        return java.util.Arrays.asList(name, machineName, type, parent);
    }

    // --- per event type, with the fixtures ---

    @Test
    void branchInProgressIsAboutTheNewBranchThroughout() throws Exception {
        Activity a = Fixtures.parse("branch-in-progress.json");
        assertEnvironment(env("feature-x", "feature-x-abc1234", "development", "main"), Variables.of(a));
        assertNull(why(TriggerSpec.builder().environments("feature-x"), a), "the name matches now");
        assertNull(why(TriggerSpec.builder().environments("feature-*"), a));
        assertEquals(
                "environment feature-x is not one of [main]",
                why(TriggerSpec.builder().environments("main"), a));
        assertNull(why(TriggerSpec.builder().excludedEnvironments("main"), a), "excluding main spares its branches");
        assertEquals("proj2022abcdefg/feature-x", Coalesce.key(a), "never cancels a queued build of main");
        assertEquals("Platform.sh environment.branch on feature-x by Jane Doe", CauseText.plain(a));
    }

    @Test
    void branchWithOutcomeAndParentAsTheClientsDescribeIt() throws Exception {
        // payload.environment here is the parent: its machine name must not leak into the new branch's variables.
        Map<String, String> v = vars("branch-outcome.json");
        assertEnvironment(env("feature-y", "feature-y-q2w3e4r", "development", "main"), v);
    }

    @Test
    void activateIsAboutTheActivatedEnvironment() throws Exception {
        assertEnvironment(env("feature-x", "feature-x-abc1234", "development", "main"), vars("activate.json"));
    }

    @Test
    void mergeIsAboutIntoEvenWhenOutcomeDescribesFrom() throws Exception {
        Activity a = Fixtures.parse("merge-outcome.json");
        Map<String, String> v = Variables.of(a);
        assertEnvironment(env("main", "main-bvxea6i", "production", null), v);
        assertEquals("feature-login", v.get(Variables.MERGE_FROM));
        assertEquals("main", v.get(Variables.MERGE_INTO));
        assertEquals("refs/heads/main", v.get(Variables.GIT_REF));
        assertEquals("https://main-bvxea6i.eu-5.platformsh.site/", v.get(Variables.URL));
        assertNull(v.get(Variables.COMMIT), "neither head_commit is known to be the commit after the merge");
        assertEquals(
                "environment main is not one of [feature-*]",
                why(TriggerSpec.builder().environments("feature-*"), a),
                "the machine name of from is not used");
        assertEquals("proj2022abcdefg/main", Coalesce.key(a));
    }

    @Test
    void mergeFindsIntoInWhicheverObjectNamesIt() throws Exception {
        // The reverse of what the clients describe: outcome is the target. Matching by name copes with both.
        String json = Fixtures.text("merge-outcome.json")
                .replace("\"outcome\"", "\"tmp\"")
                .replace("\"environment\": {", "\"outcome\": {")
                .replace("\"tmp\"", "\"environment\"");
        Activity a = parse(json);
        assertEquals("main", a.environment());
        assertEquals("main-bvxea6i", a.machineName());
        assertEquals("production", a.environmentType());
    }

    @Test
    void synchronizeIsAboutTheChildInto() throws Exception {
        Activity a = Fixtures.parse("synchronize.json");
        Map<String, String> v = Variables.of(a);
        assertEnvironment(env("feature-x", "feature-x-abc1234", "development", "main"), v);
        assertEquals("refs/heads/feature-x", v.get(Variables.GIT_REF));
        assertEquals("feature-x", v.get(Variables.BRANCH));
        assertNull(
                why(TriggerSpec.builder().excludedEnvironments("main, main-bvxea6i"), a),
                "payload.environment (the parent) does not make the child look like main");
        assertEquals("Platform.sh environment.synchronize on feature-x by Jane Doe", CauseText.plain(a));
        assertEquals("proj2022abcdefg/feature-x", Coalesce.key(a));
    }

    @Test
    void restoreWithThePlainStringEnvironment() throws Exception {
        Map<String, String> v = vars("restore.json");
        assertEnvironment(env("main", null, null, null), v);
        assertEquals(
                "5555555555555555555555555555555555555555",
                v.get(Variables.COMMIT),
                "payload.commit: the commit the environment was restored to");
        Activity noList = parse(Fixtures.text("restore.json").replace("\"environments\": [\"main\"],", ""));
        assertEquals("main", noList.environment(), "read from the string itself");
    }

    @Test
    void healthFromMainMatchesByNameAndByMachineName() throws Exception {
        Activity a = Fixtures.parse("health-main.json");
        assertEnvironment(env("main", "main-bvxea6i", null, null), Variables.of(a));
        assertNull(why(TriggerSpec.builder().environments("main"), a));
        assertNull(why(TriggerSpec.builder().environments("main-bvxea6i"), a));
        assertEquals(
                "environment main is excluded by [main]",
                why(TriggerSpec.builder().excludedEnvironments("main"), a));
        assertEquals("Platform.sh health.disk on main (warning): less than 214.748 MB available", CauseText.plain(a));
        assertEquals("proj2022abcdefg/main", Coalesce.key(a));
    }

    @Test
    void theIndexFindsABranchAndAHealthAlertByName() throws Exception {
        TriggerIndex index = new TriggerIndex();
        index.put(
                "feature-x",
                TriggerSpec.builder()
                        .events("environment.branch")
                        .states("*")
                        .environments("feature-x")
                        .build());
        index.put(
                "main",
                TriggerSpec.builder()
                        .events("environment.branch, health.disk")
                        .states("*")
                        .environments("main")
                        .build());
        assertEquals(List.of("feature-x"), targets(index.match(Fixtures.parse("branch-in-progress.json"), GLOBAL)));
        assertEquals(List.of("main"), targets(index.match(Fixtures.parse("health-main.json"), GLOBAL)));
    }

    private static List<String> targets(MatchResult m) {
        return m.matched().stream().map(MatchResult.Match::targetId).toList();
    }

    @Test
    void theScheduleAndTheDeliveriesPageSayTheSameEnvironment() {
        TriggerIndex index = new TriggerIndex();
        index.put(
                "job",
                TriggerSpec.builder().events("environment.branch").states("*").build());
        DeliveryService service = new DeliveryService(index);
        Outcome o = service.decide(
                Fixtures.signed(Fixtures.bytes("branch-in-progress.json")),
                DeliverySettings.defaults(),
                Fixtures.globalKey());
        Schedule s = o.schedules().get(0);
        assertEquals("feature-x", s.variables().get(Variables.ENVIRONMENT));
        assertEquals("feature-x-abc1234", s.variables().get(Variables.MACHINE_NAME));
        assertEquals("proj2022abcdefg/feature-x", s.coalesceKey());
        assertEquals("feature-x", ActivityRecord.view(s.record().encoded()).get("environment"));
        assertEquals(
                "feature-x-abc1234", ActivityRecord.view(s.record().encoded()).get("machineName"));
        assertEquals("feature-x", service.log().newestFirst().get(0).environment());
    }

    // --- when the chosen environment's own data is missing ---

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // type | payload | expected environment | machine name | type ('' = absent)
                // the only object describes the parent: nothing of it is taken for the new branch
                "environment.branch|{\"parent\":{\"name\":\"main\"},\"environment\":{\"name\":\"main\",\"machine_name\":\"main-bvxea6i\",\"type\":\"production\"}}|feature-z|''|''",
                // an object without name cannot be attributed where two environments are around
                "environment.branch|{\"parent\":\"main\",\"environment\":{\"machine_name\":\"main-bvxea6i\"}}|feature-z|''|''",
                "environment.merge|{\"environment\":{\"machine_name\":\"feature-z-1234567\"}}|main|''|''",
                "environment.synchronize|{\"environment\":{\"name\":\"main\",\"machine_name\":\"main-bvxea6i\"}}|feature-z|''|''",
                // with one environment only, an unnamed object is the activity's, as before
                "environment.push|{\"environment\":{\"machine_name\":\"feature-z-1234567\",\"type\":\"development\"}}|feature-z|feature-z-1234567|development",
                // a payload.environment naming another environment than parameters.environment is not used
                "environment.push|{\"environment\":{\"name\":\"main\",\"machine_name\":\"main-bvxea6i\"}}|feature-z|''|''"
            })
    void dataOfAnotherEnvironmentIsLeftOut(
            String type, String payload, String environment, String machineName, String environmentType)
            throws Exception {
        String params =
                switch (type) {
                    case "environment.merge" ->
                        "{\"from\":\"feature-z\",\"into\":\"main\",\"environment\":\"feature-z\"}";
                    case "environment.synchronize" ->
                        "{\"from\":\"main\",\"into\":\"feature-z\",\"environment\":\"main\"}";
                    case "environment.branch" -> "{\"environment\":\"main\"}";
                    default -> "{\"environment\":\"feature-z\"}";
                };
        String environments = type.equals("environment.branch") ? "[\"main\",\"feature-z\"]" : "[]";
        Activity a = parse("{\"id\":\"a\",\"type\":\"" + type + "\",\"project\":\"p\",\"parameters\":" + params
                + ",\"environments\":" + environments + ",\"payload\":" + payload + "}");
        assertEquals(environment, a.environment());
        assertEquals(machineName.isEmpty() ? null : machineName, a.machineName());
        assertEquals(environmentType.isEmpty() ? null : environmentType, a.environmentType());
    }

    @Test
    void aDeploymentOfAnotherEnvironmentGivesNoRefAndNoUrl() throws Exception {
        Activity a = parse(
                "{\"id\":\"a\",\"type\":\"environment.synchronize\",\"parameters\":{\"from\":\"main\",\"into\":\"dev\"},"
                        + "\"payload\":{\"deployment\":{\"environment_info\":{\"name\":\"main\",\"reference\":\"refs/heads/main\"},"
                        + "\"routes\":{\"https://main.example/\":{\"type\":\"upstream\",\"primary\":true}}}}}");
        assertEquals("dev", a.environment());
        assertNull(a.gitRef());
        assertEquals("dev", a.branch(), "without its own reference, the branch is the environment");
        assertNull(a.primaryUrl());
        Activity unnamed = parse(
                "{\"id\":\"a\",\"type\":\"environment.merge\",\"parameters\":{\"from\":\"dev\",\"into\":\"main\"},"
                        + "\"payload\":{\"deployment\":{\"environment_info\":{\"reference\":\"refs/heads/main\"},"
                        + "\"routes\":{\"https://main.example/\":{\"type\":\"upstream\"}}}}}");
        assertEquals("refs/heads/main", unnamed.gitRef(), "a deployment that names no environment is the one deployed");
        assertEquals("https://main.example/", unnamed.primaryUrl());
    }

    @Test
    void aBranchWhoseNewEnvironmentIsNamedNowhereHasNoEnvironmentButItsParent() throws Exception {
        Activity a = parse("{\"id\":\"a\",\"type\":\"environment.branch\",\"project\":\"p\",\"parameters\":"
                + "{\"environment\":\"main\",\"parent\":\"main\"},\"environments\":[\"main\"]}");
        assertNull(a.environment());
        assertEquals("main", a.parentEnvironment());
        assertNull(Coalesce.key(a));
        assertEquals("Platform.sh environment.branch", CauseText.plain(a));
    }

    @Test
    void anEmptyNameIsNoEnvironment() throws Exception {
        Activity a = parse("{\"id\":\"a\",\"type\":\"environment.merge\",\"project\":\"p\",\"parameters\":"
                + "{\"into\":\"\",\"from\":\"dev\",\"environment\":\"\"},\"environments\":[\"\"],"
                + "\"payload\":{\"environment\":{\"name\":\"\",\"machine_name\":\"m-1234567\"}}}");
        assertNull(a.environment());
        assertNull(a.machineName(), "an unnamed object is not attributed in a merge");
        assertEquals("Platform.sh environment.merge", CauseText.plain(a));
        assertNull(Coalesce.key(a));
    }

    // --- PLATFORMSH_COMMIT ---

    @Test
    void theCommitIsOnlyOneKnownToComeAfterTheActivity() throws Exception {
        assertEquals(
                "2222222222222222222222222222222222222222",
                vars("push-2022.json").get(Variables.COMMIT));
        assertNull(vars("merge.json").get(Variables.COMMIT), "head_commit only");
        Activity headOnly = parse(
                "{\"id\":\"a\",\"type\":\"environment.push\",\"parameters\":{\"environment\":\"main\","
                        + "\"old_commit\":\"1111\"},\"payload\":{\"environment\":{\"name\":\"main\",\"head_commit\":\"1111\"}}}");
        assertNull(headOnly.headCommit(), "head_commit equals old_commit in the public 2022 push sample");
        Activity commitOnPush = parse("{\"id\":\"a\",\"type\":\"environment.push\",\"payload\":{\"commit\":\"9999\"}}");
        assertNull(commitOnPush.headCommit(), "payload.commit counts on a restore only");
    }

    // --- shapes seen in the wild, and nasty ones ---

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"<b>main</b>\"|<b>main</b>",
                "\"f\\u00e9ature-\\ud83d\\ude80\"|f\u00e9ature-\ud83d\ude80",
                "\"\"|",
                "7|",
                "[\"main\"]|",
                "null|",
                "true|",
                "{\"name\":[\"main\"],\"id\":\"by-id\"}|by-id"
            })
    void payloadEnvironmentAsAStringOrAnythingElse(String value, String expected) throws Exception {
        Activity a = parse("{\"id\":\"a\",\"type\":\"environment.restore\",\"payload\":{\"environment\":"
                + (value.isEmpty() ? "\"\"" : value) + ",\"backup_name\":\"b1\"}}");
        assertEquals(expected, a.environment());
        assertNull(a.machineName());
    }

    @Test
    void htmlInAChosenEnvironmentNameIsEscapedInTheCause() throws Exception {
        Activity a = parse("{\"id\":\"a\",\"type\":\"environment.branch\",\"parameters\":{\"environment\":\"main\"},"
                + "\"payload\":{\"parent\":{\"name\":\"main\"},\"outcome\":{\"name\":\"<img src=x onerror=alert(1)>\","
                + "\"machine_name\":\"x-1234567\"}}}");
        assertEquals("<img src=x onerror=alert(1)>", a.environment());
        assertEquals("x-1234567", a.machineName());
        assertFalse(CauseText.html(a).contains("<"), CauseText.html(a));
        assertTrue(CauseText.html(a).contains("&lt;img src=x onerror=alert(1)&gt;"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "environment.branch|\"feature-q\"|feature-q",
                "environment.branch|7|feature-env",
                "environment.branch|[{\"name\":\"feature-q\"}]|feature-env",
                "environment.branch|{\"name\":null,\"id\":\"feature-q\"}|feature-q",
                "environment.branch|{\"name\":{\"x\":1},\"machine_name\":[\"m\"]}|feature-env",
                "environment.merge|\"feature-q\"|main",
                "environment.merge|{\"name\":\"main\",\"machine_name\":\"main-bvxea6i\"}|main",
                "environment.synchronize|{\"name\":\"feature-q\",\"machine_name\":\"feature-q-1234567\"}|feature-q",
                "environment.synchronize|null|feature-q"
            })
    void outcomeOfAnyShape(String type, String outcome, String expected) throws Exception {
        String params =
                switch (type) {
                    case "environment.merge" -> "{\"from\":\"feature-q\",\"into\":\"main\"}";
                    case "environment.synchronize" -> "{\"from\":\"main\",\"into\":\"feature-q\"}";
                    default -> "{\"environment\":\"main\",\"parent\":\"main\"}";
                };
        Activity a = parse("{\"id\":\"a\",\"type\":\"" + type + "\",\"parameters\":" + params
                + ",\"environments\":[\"main\",\"feature-env\"],\"payload\":{\"outcome\":" + outcome
                + ",\"user\":{\"display_name\":\"J\"}}}");
        assertEquals(expected, a.environment());
        assertEquals("J", a.userName(), "fields after the outcome are still read");
        if (a.machineName() != null) {
            assertTrue(
                    a.machineName().startsWith(expected + "-"),
                    "the machine name is the chosen one's: " + a.machineName());
        }
    }

    @Test
    void commitsAsPlainShaStrings() throws Exception {
        Activity a = parse("{\"id\":\"a\",\"type\":\"environment.push\",\"parameters\":{\"new_commit\":\"bbbb\"},"
                + "\"payload\":{\"commits\":[\"aaaa\",\"bbbb\",\"\",7,null,[\"cccc\"],{\"sha\":\"dddd\",\"message\":\"<b>m</b>\"},"
                + "\"\\u00e9\\ud83d\\ude80\"],\"commits_count\":3}}");
        assertEquals(
                List.of("aaaa", "bbbb", "dddd", "\u00e9\ud83d\ude80"),
                a.commits().stream().map(Activity.Commit::sha).toList(),
                "strings and objects with a sha; empty strings, numbers, nulls and arrays skipped");
        Map<String, String> v = Variables.of(a);
        assertEquals("3", v.get(Variables.COMMITS_COUNT));
        assertFalse(v.containsKey(Variables.COMMIT_MESSAGE), "the head commit, a plain sha, has no message");
        assertFalse(v.containsKey(Variables.COMMIT_AUTHOR));
        Activity only =
                parse("{\"id\":\"a\",\"type\":\"environment.push\",\"payload\":{\"commits\":[\"aaaa\",\"bbbb\"]}}");
        assertEquals("2", Variables.of(only).get(Variables.COMMITS_COUNT));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "main-bvxea6i|main",
                "feature-x-abc1234|feature-x",
                "main|main",
                "x-ABCDEFG|x-ABCDEFG",
                "-abc1234|-abc1234",
                "a-abc12345|a-abc12345",
                "f\u00e9-abc1234|f\u00e9"
            })
    void healthEnvironmentNameFromTheMachineName(String machineName, String name) throws Exception {
        Activity a = parse("{\"event\":{\"component\":\"disk\",\"origin\":{\"project\":\"p\",\"environment\":\""
                + machineName + "\"}}}");
        assertEquals(name, a.environment());
        assertEquals(machineName, a.machineName());
    }
}
