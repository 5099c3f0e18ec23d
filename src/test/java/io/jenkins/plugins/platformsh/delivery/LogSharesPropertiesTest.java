package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The delivery log keeps, newest first, the newest {@code size} verified deliveries and, beside them, the newest
 * {@link DeliveryLog#UNSIGNED_SAMPLE_SIZE} unsigned ones (fewer if the size is smaller), whatever order they come in
 * and however the size changes between them. Checked against a model: a list of every delivery, filtered per share.
 */
class LogSharesPropertiesTest {

    /** One step: a signed or unsigned delivery, or a new log size (from the settings, as a real request carries). */
    record Step(boolean signed, int size) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> delivery = Arbitraries.of(true, false).map(s -> new Step(s, -1));
        Arbitrary<Step> resize = Arbitraries.integers().between(0, 80).map(n -> new Step(true, n));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(12, delivery), net.jqwik.api.Tuple.of(1, resize))
                .list()
                .ofMaxSize(260);
    }

    @Property(tries = 60)
    void eachShareKeepsItsNewestWhateverTheOrderAndTheSize(@ForAll("steps") List<Step> steps) {
        TriggerIndex index = new TriggerIndex();
        index.put("builds-every-push", TriggerSpec.defaults());
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        DeliveryLog log = new DeliveryLog(60);
        DeliveryService service = new DeliveryService(index, new Deduplicator(10_000), log, clock);

        int size = 60;
        List<String> kept = new ArrayList<>(); // the model, newest first: "<activity id>/s" or "/u"
        int n = 0;
        for (Step step : steps) {
            if (step.size() >= 0) {
                size = step.size();
            }
            DeliverySettings settings =
                    DeliverySettings.defaults().withAcceptUnsigned(true).withLogSize(size);
            String id = "a" + n++;
            byte[] body = push(id);
            Outcome o = step.signed()
                    ? service.decide(Fixtures.signed(body), settings, Fixtures.globalKey())
                    : service.decide(Fixtures.unsigned(body), settings, Fixtures.globalKey());
            assertEquals(Outcome.Kind.ACCEPTED, o.kind(), o.toString());
            // What the log held, cut to the size this request carries, then the new delivery, cut again.
            kept = cut(kept, size);
            kept.add(0, id + "/" + (step.signed() ? "s" : "u"));
            kept = cut(kept, size);
            List<String> actual = log.newestFirst().stream()
                    .map(e -> e.activityId() + "/" + (e.unsigned() ? "u" : "s"))
                    .toList();
            assertEquals(kept, actual, "after " + n + " deliveries, size " + size);
        }
    }

    /** Each share's newest within its number, newest first. */
    private static List<String> cut(List<String> newestFirst, int size) {
        List<String> out = new ArrayList<>();
        int signed = 0;
        int unsigned = 0;
        for (String d : newestFirst) {
            boolean keep = d.endsWith("/s")
                    ? ++signed <= size
                    : ++unsigned <= Math.min(size, DeliveryLog.UNSIGNED_SAMPLE_SIZE);
            if (keep) {
                out.add(d);
            }
        }
        return out;
    }

    private static byte[] push(String id) {
        String body = "{\"id\":\"" + id
                + "\",\"type\":\"environment.push\",\"project\":\"proj1\",\"state\":\"complete\","
                + "\"result\":\"success\",\"environments\":[\"main\"],\"parameters\":{\"environment\":\"main\"}}";
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
