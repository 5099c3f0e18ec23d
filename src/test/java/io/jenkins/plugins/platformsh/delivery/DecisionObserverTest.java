package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What metrics are told: every decision with its time, and builds queued; and that they cannot break a delivery. */
class DecisionObserverTest {

    private final TriggerIndex index = new TriggerIndex();
    private final DeliveryService service =
            new DeliveryService(index, new Deduplicator(10), new DeliveryLog(10), Clock.systemUTC());

    @Test
    void everyDecisionIsObservedWithItsOutcomeAndQueuedBuildsAreCounted() {
        index.put("a", TriggerSpec.defaults());
        index.put("b", TriggerSpec.defaults());
        List<Outcome.Kind> seen = new ArrayList<>();
        List<Long> nanos = new ArrayList<>();
        service.observe((o, n) -> {
            seen.add(o.kind());
            nanos.add(n);
        });
        byte[] body = Fixtures.bytes("push-2022.json");
        Outcome accepted = service.decide(Fixtures.signed(body), DeliverySettings.defaults(), Fixtures.globalKey());
        service.decide(Fixtures.signed(body), DeliverySettings.defaults(), Fixtures.globalKey());
        service.decide(Fixtures.unsigned(body), DeliverySettings.defaults(), Fixtures.globalKey());
        service.decide(
                DeliveryRequest.builder().method("GET").build(), DeliverySettings.defaults(), Fixtures.globalKey());
        assertEquals(
                List.of(Outcome.Kind.ACCEPTED, Outcome.Kind.DUPLICATE, Outcome.Kind.REJECTED, Outcome.Kind.PROBE),
                seen);
        assertTrue(nanos.stream().allMatch(n -> n >= 0));

        assertEquals(0, service.buildsQueued());
        service.afterScheduling(
                accepted, Map.of("a", ScheduleResult.queued(), "b", ScheduleResult.skipped("disabled")));
        assertEquals(1, service.buildsQueued(), "only what was queued");
    }

    @Test
    void anObserverThatThrowsChangesNoAnswer() {
        index.put("a", TriggerSpec.defaults());
        service.observe((o, n) -> {
            throw new IllegalStateException("broken metrics");
        });
        Outcome o = service.decide(
                Fixtures.signed(Fixtures.bytes("push-2022.json")), DeliverySettings.defaults(), Fixtures.globalKey());
        assertEquals(Outcome.Kind.ACCEPTED, o.kind());
        assertEquals(1, service.log().newestFirst().size());
        service.observe(null); // back to none
        assertEquals(
                Outcome.Kind.DUPLICATE,
                service.decide(
                                Fixtures.signed(Fixtures.bytes("push-2022.json")),
                                DeliverySettings.defaults(),
                                Fixtures.globalKey())
                        .kind());
    }
}
