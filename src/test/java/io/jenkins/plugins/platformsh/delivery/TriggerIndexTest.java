package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TriggerIndexTest {

    private static final Verification GLOBAL = Verification.verified(Set.of("g"), true, "signature");

    @Test
    void putReplacesRemoveForgetsAndCredentialsAreListed() throws Exception {
        TriggerIndex index = new TriggerIndex();
        index.put("a", TriggerSpec.defaults());
        index.put("b", TriggerSpec.builder().credentialsId("kb").build());
        index.put("c", TriggerSpec.builder().credentialsId("kb").environments("staging").build());
        assertEquals(3, index.size());
        assertEquals(Set.of("kb"), index.credentialsIds());
        Activity push = Fixtures.parse("push-2022.json");
        assertEquals(List.of("a"), ids(index.match(push, GLOBAL)));

        index.put("a", TriggerSpec.builder().events("environment.cron").build());
        assertTrue(ids(index.match(push, GLOBAL)).isEmpty(), "replacing a job's trigger takes effect");
        index.remove("a");
        index.remove("does-not-exist");
        assertEquals(2, index.size());
        MatchResult r = index.match(push, GLOBAL);
        assertEquals(2, r.results().size());
        assertNotNull(r.resultFor("c"));
        assertEquals("environment main is not one of [staging]", r.resultFor("c").reason());
        index.clear();
        assertEquals(0, index.size());
        assertTrue(index.match(push, GLOBAL).results().isEmpty());
    }

    @Test
    void resultsListEveryJobInConfigurationOrderWithReasons() throws Exception {
        TriggerIndex index = new TriggerIndex();
        index.put("z-matches", TriggerSpec.defaults());
        index.put("a-other-project", TriggerSpec.builder().projects("elsewhere").build());
        index.put("m-cron", TriggerSpec.builder().events("environment.cron").build());
        MatchResult r = index.match(Fixtures.parse("push-2022.json"), GLOBAL);
        assertEquals(List.of(
                new MatchResult.TargetResult("z-matches", true, "matched"),
                new MatchResult.TargetResult("a-other-project", false, "project proj2022abcdefg is not one of [elsewhere]"),
                new MatchResult.TargetResult("m-cron", false, "event environment.push is not one of [environment.cron]")),
                r.results());
        assertEquals(3, r.triggerCount());
    }

    @Test
    void aResultKeepsTheSnapshotItWasMatchedAgainst() throws Exception {
        TriggerIndex index = new TriggerIndex();
        index.put("a", TriggerSpec.defaults());
        MatchResult r = index.match(Fixtures.parse("push-2022.json"), GLOBAL);
        index.put("b", TriggerSpec.defaults());
        assertEquals(1, r.results().size(), "jobs saved later do not rewrite history");
    }

    @Test
    void concurrentUpdatesAndMatchesStayConsistent() throws Exception {
        TriggerIndex index = new TriggerIndex();
        Activity push = Fixtures.parse("push-2022.json");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 1000;
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 500; i++) {
                    index.put("job-" + (base + i), TriggerSpec.defaults());
                }
                return null;
            }));
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 500; i++) {
                    MatchResult r = index.match(push, GLOBAL);
                    assertEquals(r.matched().size(), r.results().size(), "every job matches this push");
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(2000, index.match(push, GLOBAL).matched().size());
    }

    private static List<String> ids(MatchResult r) {
        return r.matched().stream().map(MatchResult.Match::targetId).toList();
    }

    // The index must be an optimisation only: it matches exactly what checking every trigger would.

    @Property(tries = 300)
    void indexAgreesWithCheckingEveryTrigger(@ForAll("specs") List<TriggerSpec> specs, @ForAll("activities") Activity a,
            @ForAll("verifications") Verification v) {
        TriggerIndex index = new TriggerIndex();
        for (int i = 0; i < specs.size(); i++) {
            index.put("job-" + i, specs.get(i));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).mismatch(a, v) == null) {
                expected.add("job-" + i);
            }
        }
        MatchResult r = index.match(a, v);
        assertEquals(expected, ids(r));
        for (MatchResult.TargetResult t : r.results()) {
            assertEquals(expected.contains(t.targetId()), t.matched());
            assertEquals(t.matched(), t.reason().equals("matched"));
            assertFalse(t.reason().isEmpty());
        }
    }

    private static final List<String> PROJECTS = List.of("p1", "p2", "p3");
    private static final List<String> EVENTS = List.of("environment.push", "environment.merge", "environment.cron", "health.disk");
    private static final List<String> ENVS = List.of("main", "main-abc1234", "feature-x", "staging");

    @Provide
    Arbitrary<List<TriggerSpec>> specs() {
        Arbitrary<String> projects = Arbitraries.of("", "p1", "p2", "p1, p3", "p*", "*");
        Arbitrary<String> events = Arbitraries.of("environment.push", "environment.push, environment.merge",
                "environment.*", "*", "health.*", "health.disk", "environment.cron");
        Arbitrary<String> envs = Arbitraries.of("", "main", "main-abc1234", "feature-*", "main, staging", "*", "?ain");
        Arbitrary<String> excluded = Arbitraries.of("", "", "staging", "feature-*");
        Arbitrary<String> states = Arbitraries.of("complete", "*", "in_progress, complete");
        Arbitrary<String> creds = Arbitraries.of("", "", "k1");
        return Combinators.combine(projects, events, envs, excluded, states, creds)
                .as((p, e, env, ex, st, c) -> TriggerSpec.builder().projects(p).events(e).environments(env)
                        .excludedEnvironments(ex).states(st).credentialsId(c).build())
                .list().ofMaxSize(25);
    }

    @Provide
    Arbitrary<Activity> activities() {
        return Combinators.combine(Arbitraries.of(PROJECTS), Arbitraries.of(EVENTS), Arbitraries.of(ENVS),
                Arbitraries.of("main-abc1234", "feature-x-1", null), Arbitraries.of("complete", "in_progress"))
                .as((p, e, env, machine, st) -> {
                    StringBuilder sb = new StringBuilder("{\"id\":\"x\",\"type\":\"").append(e).append("\",\"project\":\"")
                            .append(p).append("\",\"state\":\"").append(st).append("\",\"parameters\":{\"environment\":\"")
                            .append(env).append("\"}");
                    if (machine != null) {
                        sb.append(",\"payload\":{\"environment\":{\"machine_name\":\"").append(machine).append("\"}}");
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
        return Arbitraries.of(GLOBAL, Verification.verified(Set.of("k1"), false, "signature"),
                Verification.verified(Set.of("g", "k1"), true, "token"), Verification.unsigned());
    }
}
