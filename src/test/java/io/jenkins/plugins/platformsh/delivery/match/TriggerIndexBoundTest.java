package io.jenkins.plugins.platformsh.delivery.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.activity.MalformedDeliveryException;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A trigger's long lists of exact names cost the index a bounded number of entries, and still match exactly. */
class TriggerIndexBoundTest {

    private static final Verification GLOBAL = Verification.verified(Set.of("g"), true, "signature");

    static String names(String prefix, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return String.join(", ", out);
    }

    static Activity activity(String type, String project, String environment) throws MalformedDeliveryException {
        return ActivityParser.parse(Fixtures.utf8("{\"id\":\"x\",\"type\":\"" + type + "\",\"project\":\"" + project
                + "\",\"state\":\"complete\",\"parameters\":{\"environment\":\"" + environment + "\"}}"));
    }

    @Test
    void theReviewersTriggerOfAHundredProjectsEventsAndEnvironmentsFilesAtMostTheBound() throws Exception {
        // 100 x 100 x 100 exact names (2.9 KB of text) used to make a million entries on the next delivery.
        TriggerSpec wide = TriggerSpec.builder()
                .projects(names("p", 100))
                .events(names("environment.e", 100))
                .environments(names("env", 100))
                .build();
        TriggerIndex index = new TriggerIndex();
        index.put("wide", wide);
        index.put(
                "narrow",
                TriggerSpec.builder().projects("p1").environments("env1").build());
        assertTrue(
                index.bucketEntries() <= 2 * BucketKeys.MAX_PER_ENTRY,
                "entries: " + index.bucketEntries() + ", at most one bound per trigger");

        assertEquals(
                List.of("wide"), TriggerIndexTest.ids(index.match(activity("environment.e42", "p7", "env99"), GLOBAL)));
        assertEquals(
                List.of("narrow"),
                TriggerIndexTest.ids(index.match(activity("environment.push", "p1", "env1"), GLOBAL)));
        assertTrue(TriggerIndexTest.ids(index.match(activity("environment.e42", "p100", "env1"), GLOBAL))
                .isEmpty());
        assertTrue(TriggerIndexTest.ids(index.match(activity("environment.e100", "p1", "env1"), GLOBAL))
                .isEmpty());
        assertTrue(TriggerIndexTest.ids(index.match(activity("environment.e1", "p1", "env100"), GLOBAL))
                .isEmpty());
    }

    @Test
    void aSavedTriggerPastTheCapsStillLoadsAndStaysBounded() throws Exception {
        // 200 x 200 x 200 (6 KB) made 8 million entries: such text can still be in a config.xml saved before the caps.
        TriggerSpec saved = TriggerSpec.builder()
                .uncapped()
                .projects(names("p", 200))
                .events(names("environment.e", 200))
                .environments(names("env", 300))
                .build();
        TriggerIndex index = new TriggerIndex();
        index.put("saved", saved);
        assertTrue(index.bucketEntries() <= BucketKeys.MAX_PER_ENTRY, "entries: " + index.bucketEntries());
        assertEquals(
                List.of("saved"),
                TriggerIndexTest.ids(index.match(activity("environment.e199", "p199", "env299"), GLOBAL)));
        assertTrue(TriggerIndexTest.ids(index.match(activity("environment.e199", "p200", "env299"), GLOBAL))
                .isEmpty());
    }

    @Test
    void listsWithinTheBoundAreStillFiledByEveryName() {
        TriggerIndex index = new TriggerIndex();
        index.put(
                "t",
                TriggerSpec.builder()
                        .projects(names("p", 10))
                        .events(names("environment.e", 10))
                        .environments(names("env", 10))
                        .build());
        assertEquals(1000, index.bucketEntries());
        index.put(
                "t",
                TriggerSpec.builder()
                        .projects(names("p", 10))
                        .events(names("environment.e", 10))
                        .environments(names("env", 11))
                        .build());
        assertEquals(100, index.bucketEntries(), "past the bound, the longest list (environments) goes to any");
    }
}
