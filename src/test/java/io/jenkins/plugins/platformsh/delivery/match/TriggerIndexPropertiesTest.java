package io.jenkins.plugins.platformsh.delivery.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.activity.MalformedDeliveryException;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** jqwik properties live apart from Jupiter tests: Surefire miscounts a class that two engines both run. */
class TriggerIndexPropertiesTest {

    private static final Verification GLOBAL = Verification.verified(Set.of("g"), true, "signature");

    private static List<String> ids(MatchResult r) {
        return TriggerIndexTest.ids(r);
    }

    // The index must be an optimisation only: it matches exactly what checking every trigger would.

    @Property(tries = 300)
    void indexAgreesWithCheckingEveryTrigger(
            @ForAll("specs") List<TriggerSpec> specs,
            @ForAll("activities") Activity a,
            @ForAll("verifications") Verification v) {
        TriggerIndex index = new TriggerIndex();
        for (int i = 0; i < specs.size(); i++) {
            index.put("job-" + i, specs.get(i));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).mismatch(a, v, "job-" + i) == null) {
                expected.add("job-" + i);
            }
        }
        MatchResult r = index.match(a, v);
        assertEquals(expected, ids(r));
        int others = 0;
        for (int i = 0; i < specs.size(); i++) {
            String why = specs.get(i).mismatch(a, v, "job-" + i);
            MatchResult.TargetResult t = r.resultFor("job-" + i);
            assertEquals(why == null, t.matched());
            assertEquals(
                    why == null
                            ? "matched"
                            : io.jenkins.plugins.platformsh.delivery.text.Clip.to(why, MatchResult.MAX_REASON),
                    t.reason());
            others += why == null ? 0 : 1;
        }
        assertEquals(
                others,
                r.summary().stream().mapToInt(MatchResult.ReasonCount::jobs).sum(),
                "every other job counted once");
        for (MatchResult.TargetResult t : r.page(null, 0, MatchResult.MAX_PAGE).results()) {
            assertEquals(expected.contains(t.targetId()), t.matched());
            assertEquals(t.matched(), t.reason().equals("matched"));
            assertFalse(t.reason().isEmpty());
        }
    }

    private static final List<String> PROJECTS = List.of("p1", "p2", "p3");
    private static final List<String> EVENTS =
            List.of("environment.push", "environment.merge", "environment.cron", "health.disk");
    private static final List<String> ENVS = List.of("main", "main-abc1234", "feature-x", "staging");

    @Provide
    Arbitrary<List<TriggerSpec>> specs() {
        Arbitrary<String> projects = Arbitraries.of("", "p1", "p2", "p1, p3", "p*", "*");
        Arbitrary<String> events = Arbitraries.of(
                "environment.push",
                "environment.push, environment.merge",
                "environment.*",
                "*",
                "health.*",
                "health.disk",
                "environment.cron");
        Arbitrary<String> envs = Arbitraries.of("", "main", "main-abc1234", "feature-*", "main, staging", "*", "?ain");
        Arbitrary<String> excluded = Arbitraries.of("", "", "staging", "feature-*");
        Arbitrary<String> states = Arbitraries.of("complete", "*", "in_progress, complete");
        Arbitrary<String> creds = Arbitraries.of("", "", "k1");
        return Combinators.combine(projects, events, envs, excluded, states, creds)
                .as((p, e, env, ex, st, c) -> TriggerSpec.builder()
                        .projects(p)
                        .events(e)
                        .environments(env)
                        .excludedEnvironments(ex)
                        .states(st)
                        .credentialsId(c)
                        .build())
                .list()
                .ofMaxSize(25);
    }

    @Provide
    Arbitrary<Activity> activities() {
        return Combinators.combine(
                        Arbitraries.of(PROJECTS),
                        Arbitraries.of(EVENTS),
                        Arbitraries.of(ENVS),
                        Arbitraries.of("main-abc1234", "feature-x-1", null),
                        Arbitraries.of("complete", "in_progress"))
                .as((p, e, env, machine, st) -> {
                    StringBuilder sb = new StringBuilder("{\"id\":\"x\",\"type\":\"")
                            .append(e)
                            .append("\",\"project\":\"")
                            .append(p)
                            .append("\",\"state\":\"")
                            .append(st)
                            .append("\",\"parameters\":{\"environment\":\"")
                            .append(env)
                            .append("\"}");
                    if (machine != null) {
                        sb.append(",\"payload\":{\"environment\":{\"machine_name\":\"")
                                .append(machine)
                                .append("\"}}");
                    }
                    try {
                        return ActivityParser.parse(Fixtures.utf8(sb.append('}').toString()));
                    } catch (MalformedDeliveryException ex) {
                        throw new AssertionError(ex);
                    }
                });
    }

    @Provide
    Arbitrary<Verification> verifications() {
        VerificationKey k1 = VerificationKey.sharedKey("k1", "azE", false);
        return Arbitraries.of(
                GLOBAL,
                Verification.verified(Set.of("k1"), false, "signature"),
                Verification.verified(Set.of("g", "k1"), true, "token"),
                Verification.unsigned(),
                // k1 as the adapter resolves it: for some jobs only.
                Verification.verified(List.of(k1.forTarget("job-0"), k1.forTarget("job-3")), "signature"),
                Verification.verified(
                        List.of(VerificationKey.sharedKey("g", "Zw", true), k1.forTarget("job-1")), "signature"));
    }
}
