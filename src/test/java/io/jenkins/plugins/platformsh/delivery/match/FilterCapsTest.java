package io.jenkins.plugins.platformsh.delivery.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.text.Validation;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** Each filter list is capped in length where it is configured, with a message that names the field and the cap. */
class FilterCapsTest {

    private static String names(String prefix, int n) {
        return TriggerIndexBoundTest.names(prefix, n);
    }

    @Test
    void aHundredAndOneProjectsAreRefusedWithTheCap() {
        assertFalse(FilterValidation.projects(names("p", 100)).isError());
        Validation v = FilterValidation.projects(names("p", 101));
        assertTrue(v.isError());
        assertEquals(
                "At most 100 project ids in one filter; this one lists 101. Leave the field empty for any project.",
                v.message());
        FilterException e = assertThrows(
                FilterException.class,
                () -> TriggerSpec.builder().projects(names("p", 101)).build());
        assertTrue(e.getMessage().startsWith("projects: At most 100 project ids"), e.getMessage());
    }

    @Test
    void everyListHasItsCap() {
        assertTrue(
                FilterValidation.events(names("environment.e", 101)).message().startsWith("At most 100 event types"));
        assertFalse(FilterValidation.events(names("environment.e", 100)).isError());
        assertTrue(
                FilterValidation.environments(names("env", 201)).message().startsWith("At most 200 environment names"));
        assertFalse(FilterValidation.environments(names("env", 200)).isError());
        String states = String.join(" ", Collections.nCopies(21, "complete"));
        assertTrue(FilterValidation.states(states).message().startsWith("At most 20 states"));
        assertTrue(FilterValidation.results(String.join(" ", Collections.nCopies(21, "success")))
                .message()
                .startsWith("At most 20 results"));
        FilterException excluded = assertThrows(FilterException.class, () -> TriggerSpec.builder()
                .excludedEnvironments(names("env", 201))
                .build());
        assertTrue(excluded.getMessage().startsWith("excludedEnvironments: At most 200"), excluded.getMessage());
    }

    @Test
    void textSavedBeforeTheCapsStillBuildsButOtherErrorsStillFail() {
        TriggerSpec saved = TriggerSpec.builder()
                .uncapped()
                .projects(names("p", 500))
                .environments(names("env", 500))
                .build();
        assertEquals(500, saved.indexableProjects().size());
        assertThrows(FilterException.class, () -> TriggerSpec.builder()
                .uncapped()
                .projects("p1, not/a/project")
                .build());
    }

    @Test
    void aKeysProjectListIsNotCapped() {
        assertFalse(FilterValidation.projectIds(names("p", 1000)).isError());
        assertTrue(FilterValidation.projectIds("not/a/project").isError());
    }
}
