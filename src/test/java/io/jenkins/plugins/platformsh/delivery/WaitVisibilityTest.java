package io.jenkins.plugins.platformsh.delivery;

import static io.jenkins.plugins.platformsh.delivery.WaitsTest.C1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import io.jenkins.plugins.platformsh.delivery.wait.Wait;
import io.jenkins.plugins.platformsh.delivery.wait.WaitSpec;
import io.jenkins.plugins.platformsh.delivery.wait.Waits;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A wait sees, to be released or to explain its timeout, only deliveries verified by keys valid for its job. */
class WaitVisibilityTest {

    private final WaitsTest.StepClock clock = new WaitsTest.StepClock();
    private final Waits waits = new Waits(clock);
    private final DeliveryService service =
            new DeliveryService(new TriggerIndex(), new Deduplicator(100), new DeliveryLog(50), clock, waits);

    private static byte[] push(String id, String project, String env) {
        return WaitsTest.activity(id, "environment.push", project, env, "complete", "success", C1, C1);
    }

    private Outcome send(byte[] body, List<VerificationKey> keys) {
        return service.decide(Fixtures.signed(body), DeliverySettings.defaults(), keys);
    }

    private static List<VerificationKey> keyOf(String job) {
        return List.of(VerificationKey.sharedKey("its-key", Fixtures.KEY, false).forTarget(job));
    }

    private Wait waitIn(String id, String job, WaitSpec.Builder spec) {
        return new Wait(id, spec.build(), clock.instant(), job + " #1");
    }

    private static String ids(List<String> lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l.replaceAll(".*activity ([^)]*)\\).*", "$1")).append(' ');
        }
        return b.toString().trim();
    }

    @Test
    void aTimeoutNeverListsADeliveryVerifiedOnlyByAnotherJobsKey() {
        Wait w = waitIn("w", "mine", WaitSpec.builder("mine").environments("pr-none"));
        waits.register(w);
        send(push("secret-activity", "other-project", "pr-60"), keyOf("someone-else"));
        assertEquals(List.of(), waits.explain(w), "neither its project, environment nor activity id");
        assertTrue(waits.isWaiting("w"));
    }

    @Test
    void itListsWhatTheGlobalKeyOrItsJobsOwnKeyVerified() {
        Wait w = waitIn("w", "mine", WaitSpec.builder("mine").environments("pr-none"));
        waits.register(w);
        send(push("by-global", "p1", "pr-1"), Fixtures.globalKey());
        // The key its trigger names, resolved for its job: the job may see that delivery, although only a wait
        // naming that key in credentialsId is released by it.
        Outcome own = send(push("by-own-trigger-key", "p1", "pr-none"), keyOf("mine"));
        assertTrue(own.releases().isEmpty());
        List<String> lines = waits.explain(w);
        assertEquals("by-own-trigger-key by-global", ids(lines), lines::toString);
        assertTrue(lines.get(0).endsWith("not with the global shared key or token"), lines::toString);
    }

    @Test
    void anUnsignedDeliveryAcceptedForTriggersIsNeitherRememberedNorListed() {
        Wait w = waitIn("w", "mine", WaitSpec.builder("mine").environments("pr-none"));
        waits.register(w);
        service.decide(
                Fixtures.unsigned(push("unsigned", "p1", "pr-none")),
                DeliverySettings.defaults().withAcceptUnsigned(true),
                Fixtures.globalKey());
        assertEquals(List.of(), waits.explain(w));
        waits.remove("w");
        Wait later = waitIn("w2", "mine", WaitSpec.builder("mine").environments("pr-none"));
        assertTrue(waits.register(later).isEmpty());
    }

    @Test
    void anAdditionalKeyOfAProjectIsSeenOnlyByWaitsThatMayWaitForThatProject() {
        List<VerificationKey> additional =
                List.of(VerificationKey.sharedKey("for-a", Fixtures.KEY, true).forProjects(Set.of("proj-a")));
        Wait anyProject = waitIn("any", "mine", WaitSpec.builder("mine").environments("pr-none"));
        Wait otherProjects = waitIn("b", "mine", WaitSpec.builder("mine").projects("proj-b*"));
        waits.register(anyProject);
        waits.register(otherProjects);
        send(push("of-a", "proj-a", "pr-1"), additional);
        assertEquals("of-a", ids(waits.explain(anyProject)));
        assertEquals(List.of(), waits.explain(otherProjects), "not one of its projects");
    }

    @Test
    void aWaitNamingItsOwnKeyIsNotReleasedNorExplainedByTheSameIdResolvedForAnotherJob() {
        Wait w = waitIn(
                "w", "mine", WaitSpec.builder("mine").environments("pr-1").credentialsId("its-key"));
        waits.register(w);
        Outcome o = send(push("theirs", "p1", "pr-1"), keyOf("theirs"));
        assertTrue(o.releases().isEmpty());
        assertTrue(
                o.waits().reasons().get("w").startsWith("the delivery was verified only with another job's key"),
                o.waits().reasons()::toString);
        assertEquals(List.of(), waits.explain(w));
        assertEquals(
                1, send(push("ours", "p1", "pr-1"), keyOf("mine")).releases().size());
    }
}
