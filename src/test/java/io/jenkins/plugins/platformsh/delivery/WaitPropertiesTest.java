package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import io.jenkins.plugins.platformsh.delivery.wait.Release;
import io.jenkins.plugins.platformsh.delivery.wait.Wait;
import io.jenkins.plugins.platformsh.delivery.wait.WaitSpec;
import io.jenkins.plugins.platformsh.delivery.wait.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Waits and deliveries interleaved at random, checked against a plain model: every wait is released at most once,
 * only by a delivery it matches, that is verified for it and that was first received since its build started (a
 * copy of an earlier one never counts), and never left waiting after such a delivery arrived.
 */
class WaitPropertiesTest {

    static final String KEY_A = "a2V5LW9mLWpvYi1hLW9ubHktZm9yLXRlc3Rz";
    static final String FORGED = "bm9ib2R5LWNvbmZpZ3VyZWQtdGhpcy1vbmU";
    static final List<String> COMMITS = List.of(WaitsTest.C1, WaitsTest.C2, WaitsTest.C3);

    enum Signing {
        GLOBAL,
        OWN_A,
        FORGED,
        UNSIGNED
    }

    record WaitCase(String job, String environment, String commit, String credentialsId, boolean anyState) {
        WaitSpec spec() {
            return WaitSpec.builder(job)
                    .environments(environment)
                    .commit(commit)
                    .credentialsId(credentialsId)
                    .states(anyState ? "*" : null)
                    .build();
        }

        /** The model: what should release this wait. */
        boolean releasedBy(DeliveryCase d) {
            boolean env = environment.equals("feature-*")
                    ? d.environment.startsWith("feature-")
                    : environment.equals(d.environment);
            boolean commitOk = commit == null || commit.equals(d.commit);
            boolean state = anyState || d.state.equals("complete");
            boolean key =
                    credentialsId == null ? d.signing == Signing.GLOBAL : d.signing == Signing.OWN_A && job.equals("a");
            return env && commitOk && state && key;
        }
    }

    record DeliveryCase(int id, String environment, String commit, String state, String result, Signing signing) {
        /** What the de-duplication memory calls the same delivery: the activity in its state and result, by the same key. */
        String sameAs() {
            return id + "|" + state + "|" + result + "|" + signing;
        }

        byte[] body() {
            return WaitsTest.activity(
                    "act" + id, "environment.push", "proj1", environment, state, result, commit, commit);
        }
    }

    /** Each step either registers the next wait or sends the next delivery. */
    record Step(WaitCase waitCase, DeliveryCase delivery) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<WaitCase> waits = Combinators.combine(
                        Arbitraries.of("a", "b"),
                        Arbitraries.of("main", "pr-1", "pr-2", "feature-*"),
                        Arbitraries.of(COMMITS).injectNull(0.4),
                        Arbitraries.of("own").injectNull(0.6),
                        Arbitraries.of(true, false))
                .as(WaitCase::new);
        Arbitrary<DeliveryCase> deliveries = Combinators.combine(
                        Arbitraries.integers().between(1, 6),
                        Arbitraries.of("main", "pr-1", "pr-2", "feature-x"),
                        Arbitraries.of(COMMITS),
                        Arbitraries.of("complete", "in_progress"),
                        Arbitraries.of("success", "failure"),
                        Arbitraries.of(Signing.class))
                .as(DeliveryCase::new);
        Arbitrary<Step> step =
                Arbitraries.oneOf(waits.map(w -> new Step(w, null)), deliveries.map(d -> new Step(null, d)));
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 500)
    void releasedAtMostOnceOnlyByWhatMatchesAndNeverMissed(@ForAll("steps") List<Step> steps) {
        WaitsTest.StepClock clock = new WaitsTest.StepClock();
        Waits waits = new Waits(clock, 100, Duration.ofHours(1));
        DeliveryService service =
                new DeliveryService(new TriggerIndex(), new Deduplicator(100), new DeliveryLog(50), clock, waits);
        List<VerificationKey> keys = List.of(
                VerificationKey.sharedKey("global", Fixtures.KEY, true),
                VerificationKey.sharedKey("own", KEY_A, false).forTarget("a"));
        Map<String, WaitCase> registered = new HashMap<>();
        Map<String, java.time.Instant> since = new HashMap<>();
        Map<String, String> releasedBy = new HashMap<>();
        List<DeliveryCase> sent = new ArrayList<>();
        List<java.time.Instant> sentAt = new ArrayList<>();
        List<Boolean> firstCopy = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            clock.advance(Duration.ofSeconds(1));
            Step s = steps.get(i);
            if (s.waitCase() != null) {
                String id = "w" + i;
                registered.put(id, s.waitCase());
                // The build started a little earlier: the last two seconds' deliveries count.
                since.put(id, clock.instant().minusSeconds(2));
                Optional<Release> r = waits.register(new Wait(id, s.waitCase().spec(), since.get(id), "owner"));
                r.ifPresent(x -> releasedBy.put(id, (String) x.view().get("id")));
                continue;
            }
            DeliveryCase d = s.delivery();
            sent.add(d);
            sentAt.add(clock.instant());
            boolean first = seen.add(d.sameAs());
            firstCopy.add(first);
            byte[] body = d.body();
            DeliveryRequest request =
                    switch (d.signing()) {
                        case GLOBAL -> Fixtures.signed(body);
                        case OWN_A -> Fixtures.signed(body, KEY_A);
                        case FORGED -> Fixtures.signed(body, FORGED);
                        case UNSIGNED -> Fixtures.unsigned(body);
                    };
            Outcome o = service.decide(request, DeliverySettings.defaults(), keys);
            assertEquals(o.kind() == Outcome.Kind.ACCEPTED, !o.releases().isEmpty(), o::toString);
            for (Release r : o.releases()) {
                String id = r.step().id();
                assertTrue(releasedBy.put(id, "act" + d.id()) == null, () -> id + " released twice");
                assertTrue(first, () -> id + " released by a copy of an earlier delivery " + d);
                assertTrue(registered.get(id).releasedBy(d), () -> id + " " + registered.get(id) + " released by " + d);
                assertEquals("act" + d.id(), r.view().get("id"));
            }
        }
        for (Map.Entry<String, WaitCase> e : registered.entrySet()) {
            String id = e.getKey();
            WaitCase w = e.getValue();
            List<String> couldRelease = new ArrayList<>();
            for (int j = 0; j < sent.size(); j++) {
                if (firstCopy.get(j) && !sentAt.get(j).isBefore(since.get(id)) && w.releasedBy(sent.get(j))) {
                    couldRelease.add("act" + sent.get(j).id());
                }
            }
            String by = releasedBy.get(id);
            if (by != null) {
                assertTrue(
                        couldRelease.contains(by),
                        () -> id + " " + w + " released by " + by + ", not one of " + couldRelease);
                assertTrue(!waits.isWaiting(id));
            } else {
                assertTrue(waits.isWaiting(id), id);
                assertTrue(couldRelease.isEmpty(), () -> id + " " + w + " missed " + couldRelease);
            }
        }
    }
}
