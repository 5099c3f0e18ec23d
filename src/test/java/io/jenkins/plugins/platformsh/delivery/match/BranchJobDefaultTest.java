package io.jenkins.plugins.platformsh.delivery.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A branch job's trigger listens to its own environment unless it names others. */
class BranchJobDefaultTest {

    private static final Verification GLOBAL = Verification.verified(Set.of("g"), true, "signature");

    private static Activity push(String environment) throws Exception {
        String json = "{\"id\":\"a1\",\"type\":\"environment.push\",\"project\":\"p1\",\"state\":\"complete\","
                + "\"result\":\"success\",\"environments\":[" + q(environment) + "],"
                + "\"parameters\":{\"environment\":" + q(environment) + "}}";
        return ActivityParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void ownEnvironmentByDefaultExplicitListWins() throws Exception {
        TriggerSpec own =
                TriggerSpec.builder().branchEnvironments(List.of("feature/x,y")).build();
        assertNull(own.mismatch(push("feature/x,y"), GLOBAL), "a branch name is taken whole, comma and slash included");
        assertEquals(
                "environment main is not one of [feature/x,y] (this branch job's own environment)",
                own.mismatch(push("main"), GLOBAL));
        assertEquals(
                "environment feature/x is not one of [feature/x,y] (this branch job's own environment)",
                own.mismatch(push("feature/x"), GLOBAL));
        TriggerSpec star =
                TriggerSpec.builder().branchEnvironments(List.of("*")).build();
        assertNotEquals(null, star.mismatch(push("main"), GLOBAL), "a '*' in a branch name is no glob");
        TriggerSpec explicit = TriggerSpec.builder()
                .environments("*")
                .branchEnvironments(List.of("feature-x"))
                .build();
        assertNull(explicit.mismatch(push("main"), GLOBAL));
        TriggerSpec none = TriggerSpec.builder().branchEnvironments(null).build();
        assertNull(none.mismatch(push("anything"), GLOBAL), "outside a multibranch project: every environment");
        assertNotEquals(
                own, TriggerSpec.builder().branchEnvironments(List.of("other")).build());
        assertEquals(
                own,
                TriggerSpec.builder()
                        .branchEnvironments(List.of("feature/x,y", "", "feature/x,y"))
                        .build());
    }

    @Test
    void indexPutsBranchJobsInTheirEnvironmentsBucket() throws Exception {
        TriggerIndex index = new TriggerIndex();
        for (int i = 0; i < 50; i++) {
            index.put(
                    "mb/b" + i,
                    TriggerSpec.builder().branchEnvironments(List.of("b" + i)).build());
        }
        index.put(
                "mb/PR-3",
                TriggerSpec.builder()
                        .branchEnvironments(List.of("PR-3", "pr-3"))
                        .build());
        index.put("mb", TriggerSpec.defaults());
        MatchResult r = index.match(push("b7"), GLOBAL);
        assertEquals(
                List.of("mb/b7", "mb"),
                r.matched().stream().map(MatchResult.Match::targetId).toList());
        assertEquals(
                List.of("mb/PR-3", "mb"),
                index.match(push("pr-3"), GLOBAL).matched().stream()
                        .map(MatchResult.Match::targetId)
                        .toList());
        assertEquals(
                "environment b7 is not one of [b8] (this branch job's own environment)",
                r.resultFor("mb/b8").reason());
    }
}
