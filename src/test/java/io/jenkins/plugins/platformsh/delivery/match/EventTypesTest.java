package io.jenkins.plugins.platformsh.delivery.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.text.Validation;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The form's idea of which event types exist must be today's platform's, and never refuse an unknown one. */
class EventTypesTest {

    private static final Verification GLOBAL = Verification.verified(Set.of("global-key"), true, "signature");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "environment.alert",
                "environment.task",
                "environment.update.privileged_configuration",
                "environment.version.create",
                "environment.version.update",
                "environment.version.delete",
                "environment_type.access.create",
                "environment_type.access.update",
                "environment_type.access.delete",
                "integration.health.webhook",
                "project.metrics.enable",
                "project.metrics.update",
                "project.metrics.disable",
                "environment.cron",
                "environment.redeploy",
                "environment.source-operation",
                "environment.pause",
                "environment.resume",
                "environment.certificate.renewal",
                "environment.resources.update",
                "environment.deploy",
                "maintenance.upgrade",
                "health.disk",
                "health.inodes"
            })
    void typesOfTodaysPlatformRaiseNoWarning(String type) {
        assertTrue(
                FilterValidation.events(type).isOk(),
                type + ": " + FilterValidation.events(type).message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"environment_deploy", "environment.update", "health.memory", "health.cpu"})
    void typesThatDoNotExistAreOnlyAWarning(String type) {
        Validation v = FilterValidation.events(type);
        assertEquals(Validation.Level.WARNING, v.level(), type);
        assertEquals(
                "Not a known event type: " + type
                        + ". It will still match if Platform.sh sends it; check the spelling.",
                v.message());
    }

    @Test
    void aBareUpdateIsUnknownButItsSubtypesAreKnown() {
        assertFalse(EventTypes.KNOWN.contains("environment.update"));
        assertTrue(FilterValidation.events("environment.update.*").isOk(), "a pattern that matches real types");
        assertTrue(FilterValidation.events("project.metrics.*, environment_type.*, integration.health.*")
                .isOk());
    }

    @Test
    void healthAndActivityTypesDoNotOverlap() {
        assertTrue(EventTypes.HEALTH.stream().allMatch(t -> t.startsWith("health.")));
        assertTrue(
                EventTypes.ACTIVITIES.stream().noneMatch(t -> t.startsWith("health.")),
                "health.<component> is this plugin's name for a notification, not an activity type");
        assertEquals(EventTypes.ACTIVITIES.size() + EventTypes.HEALTH.size(), EventTypes.KNOWN.size());
    }

    @Test
    void anUnknownHealthComponentStillMatchesWhenNamed() throws Exception {
        String body = "{\"project\":{\"id\":\"p1\"},\"event\":{\"time\":\"2024-01-01T00:00:00Z\","
                + "\"origin\":{\"project\":\"p1\",\"environment\":\"main\"},\"component\":\"memory\",\"severity\":\"warning\","
                + "\"message\":\"<b>caf\u00e9</b> \ud83d\ude80\"}}";
        Activity a = ActivityParser.parse(Fixtures.utf8(body));
        assertEquals("health.memory", a.type());
        assertNull(TriggerSpec.builder().events("health.memory").build().mismatch(a, GLOBAL));
        assertNull(TriggerSpec.builder().events("health.*").build().mismatch(a, GLOBAL));
        assertEquals(
                "event health.memory is not one of [health.disk, health.inodes]",
                TriggerSpec.builder()
                        .events("health.disk, health.inodes")
                        .build()
                        .mismatch(a, GLOBAL));
    }
}
