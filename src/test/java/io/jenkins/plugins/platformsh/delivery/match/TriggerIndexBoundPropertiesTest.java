package io.jenkins.plugins.platformsh.delivery.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.MalformedDeliveryException;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Triggers whose exact names combine past the index's bound are filed coarser, and must still match exactly the
 * deliveries that checking each trigger's filters would. jqwik properties live apart from Jupiter tests.
 */
class TriggerIndexBoundPropertiesTest {

    private static final Verification GLOBAL = Verification.verified(Set.of("g"), true, "signature");

    private static final List<String> PROJECTS = pool("p", 120);
    private static final List<String> EVENTS = pool("environment.e", 60);
    private static final List<String> ENVS = pool("env", 150);

    private static List<String> pool(String prefix, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    @Property(tries = 200)
    void triggersPastTheBoundMatchWhatALinearScanMatches(
            @ForAll("specs") List<TriggerSpec> specs, @ForAll("activities") List<Activity> activities) {
        TriggerIndex index = new TriggerIndex();
        for (int i = 0; i < specs.size(); i++) {
            index.put("job-" + i, specs.get(i));
        }
        assertTrue(index.bucketEntries() <= (long) BucketKeys.MAX_PER_ENTRY * specs.size());
        for (Activity a : activities) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                if (specs.get(i).mismatch(a, GLOBAL, "job-" + i) == null) {
                    expected.add("job-" + i);
                }
            }
            assertEquals(expected, TriggerIndexTest.ids(index.match(a, GLOBAL)), a.type() + " " + a.project());
        }
    }

    /** Long exact lists (often past the bound together), sometimes empty or with a glob. */
    @Provide
    Arbitrary<List<TriggerSpec>> specs() {
        Arbitrary<String> projects = list(PROJECTS, 100, "p1*");
        Arbitrary<String> events = list(EVENTS, 60, "environment.e1*").filter(s -> !s.isEmpty());
        Arbitrary<String> envs = list(ENVS, 150, "env1?");
        return Combinators.combine(projects, events, envs)
                // Uncapped, as a trigger saved before the caps loads: the index must be safe whatever the lists.
                .as((p, e, env) -> TriggerSpec.builder()
                        .uncapped()
                        .projects(p)
                        .events(e)
                        .environments(env)
                        .build())
                .list()
                .ofMinSize(1)
                .ofMaxSize(6);
    }

    private static Arbitrary<String> list(List<String> pool, int max, String glob) {
        Arbitrary<String> exact = Arbitraries.of(pool).set().ofMaxSize(max).map(s -> String.join(", ", s));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, exact),
                net.jqwik.api.Tuple.of(1, exact.map(s -> s.isEmpty() ? glob : s + ", " + glob)));
    }

    @Provide
    Arbitrary<List<Activity>> activities() {
        return Combinators.combine(Arbitraries.of(EVENTS), Arbitraries.of(PROJECTS), Arbitraries.of(ENVS))
                .as((e, p, env) -> {
                    try {
                        return TriggerIndexBoundTest.activity(e, p, env);
                    } catch (MalformedDeliveryException ex) {
                        throw new AssertionError(ex);
                    }
                })
                .list()
                .ofMinSize(1)
                .ofMaxSize(20);
    }
}
