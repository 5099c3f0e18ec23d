package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.match.Coalesce;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** "Latest per environment": which queued build a new one may cancel. */
class CoalesceTest {

    private static final String NOON = "2024-03-01T12:00:00.000000+00:00";

    @Test
    void theKeyIsProjectAndEnvironment() throws Exception {
        assertEquals("proj2022abcdefg/main", Coalesce.key(Fixtures.parse("push-2022.json")));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"id\":\"a\",\"type\":\"project.domain.create\",\"project\":\"p\"}",
                "{\"id\":\"a\",\"type\":\"environment.push\",\"project\":\"p\",\"parameters\":{\"environment\":\"\"}}",
                "{\"id\":\"a\",\"type\":\"environment.push\",\"parameters\":{\"environment\":\"main\"}}",
                "{\"id\":\"a\",\"type\":\"environment.push\",\"project\":\"\",\"parameters\":{\"environment\":\"main\"}}"
            })
    void withoutProjectOrEnvironmentThereIsNoKey(String json) throws Exception {
        assertNull(Coalesce.key(ActivityParser.parse(Fixtures.utf8(json))));
    }

    @Test
    void activitiesWithoutEnvironmentNeverCancelEachOther() {
        TriggerIndex index = new TriggerIndex();
        index.put(
                "job",
                TriggerSpec.builder()
                        .events("project.*")
                        .coalesce(Coalesce.LATEST_PER_ENVIRONMENT)
                        .build());
        DeliveryService service = new DeliveryService(index);
        Schedule first = schedule(
                service, "{\"id\":\"a1\",\"type\":\"project.domain.create\",\"project\":\"p\",\"state\":\"complete\"}");
        Schedule second = schedule(
                service, "{\"id\":\"a2\",\"type\":\"project.domain.delete\",\"project\":\"p\",\"state\":\"complete\"}");
        assertNull(first.coalesceKey(), "no longer the shared key p/null");
        assertFalse(second.mayCancel(first.coalesceKey(), first.variables()));
    }

    @Test
    void anOlderActivityArrivingLateLeavesTheNewerQueuedBuild() {
        TriggerIndex index = new TriggerIndex();
        index.put(
                "job",
                TriggerSpec.builder().coalesce(Coalesce.LATEST_PER_ENVIRONMENT).build());
        DeliveryService service = new DeliveryService(index);
        String push = Fixtures.text("push-2022.json");
        Schedule newer = schedule(
                service,
                push.replace("act2022push01", "act-newer")
                        .replace("2024-03-01T10:00:00.000000+00:00", "2024-03-01T11:00:00.000000+00:00"));
        Schedule older = schedule(service, push.replace("act2022push01", "act-older"));
        assertEquals(newer.coalesceKey(), older.coalesceKey());
        assertFalse(older.mayCancel(newer.coalesceKey(), newer.variables()), "older never cancels newer");
        assertTrue(newer.mayCancel(older.coalesceKey(), older.variables()));
        Schedule feature = schedule(
                service,
                push.replace("act2022push01", "act-feature")
                        .replace("\"environment\": \"main\"", "\"environment\": \"feature\"")
                        .replace("\"name\": \"main\"", "\"name\": \"feature\""));
        assertFalse(feature.mayCancel(newer.coalesceKey(), newer.variables()), "another environment");
        assertTrue(newer.mayCancel(older.coalesceKey(), null), "a queued build without variables: arrival order");
    }

    private static Schedule schedule(DeliveryService service, String json) {
        Outcome o =
                service.decide(Fixtures.signed(Fixtures.utf8(json)), DeliverySettings.defaults(), Fixtures.globalKey());
        assertEquals(Outcome.Kind.ACCEPTED, o.kind(), o::toString);
        return o.schedules().get(0);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "NULL",
            value = {
                // new key | new created_at | queued key | queued created_at | may cancel
                "p/main|" + NOON + "|p/main|2024-03-01T11:00:00.000000+00:00|true",
                "p/main|" + NOON + "|p/main|" + NOON + "|true", // the same activity in a later state
                "p/main|2024-03-01T11:00:00.000000+00:00|p/main|" + NOON + "|false", // arrived late: older
                "p/main|2024-03-01T13:00:00+01:00|p/main|" + NOON + "|true", // same instant, another offset
                "p/main|2024-03-01T12:30:00+01:00|p/main|" + NOON + "|false", // earlier, though it reads later
                "p/main|2024-03-01T12:00:00.000001Z|p/main|" + NOON + "|true",
                "p/main|NULL|p/main|" + NOON + "|true", // no time: arrival order
                "p/main|" + NOON + "|p/main|NULL|true",
                "p/main|yesterday|p/main|" + NOON + "|true",
                "p/main|" + NOON + "|p/main|<script>|true",
                "p/main|''|p/main|" + NOON + "|true",
                "p/main|" + NOON + "|p/feature|2024-03-01T11:00:00.000000+00:00|false",
                "p/main|" + NOON + "|q/main|2024-03-01T11:00:00.000000+00:00|false",
                "NULL|" + NOON + "|NULL|2024-03-01T11:00:00.000000+00:00|false", // no environment: never coalesced
                "NULL|" + NOON + "|p/main|2024-03-01T11:00:00.000000+00:00|false",
                "p/main|" + NOON + "|NULL|2024-03-01T11:00:00.000000+00:00|false",
                "p/m\u00e9in\ud83d\ude80|" + NOON + "|p/m\u00e9in\ud83d\ude80|" + NOON + "|true",
                "p/main|" + NOON + "|P/MAIN|" + NOON + "|false"
            })
    void mayCancel(String newKey, String newAt, String queuedKey, String queuedAt, boolean expected) {
        assertEquals(expected, Coalesce.mayCancel(newKey, newAt, queuedKey, queuedAt));
    }
}
