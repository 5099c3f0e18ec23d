package io.jenkins.plugins.platformsh.delivery.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.Fixtures;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.text.Patterns;
import io.jenkins.plugins.platformsh.delivery.text.Validation;
import io.jenkins.plugins.platformsh.delivery.verify.NamedKey;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TriggerSpecTest {

    private static final Verification GLOBAL = Verification.verified(Set.of("global-key"), true, "signature");

    private static String why(TriggerSpec spec, String fixture) throws Exception {
        return spec.mismatch(Fixtures.parse(fixture), GLOBAL);
    }

    @Test
    void defaultsTakeCompletedPushesAndMerges() throws Exception {
        TriggerSpec d = TriggerSpec.defaults();
        assertEquals("environment.push, environment.merge", d.events());
        assertEquals("complete", d.states());
        assertEquals("", d.results());
        assertNull(why(d, "push-2022.json"));
        assertNull(why(d, "merge.json"));
        assertNull(why(d, "push-2015.json"));
        assertEquals("event environment.cron is not one of [environment.push, environment.merge]", why(d, "cron.json"));
        assertEquals(
                "event environment.teleport is not one of [environment.push, environment.merge]",
                why(d, "future-type.json"));
        assertEquals("event health.disk is not one of [environment.push, environment.merge]", why(d, "health.json"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // field | value | fixture | expected reason ('' = matches)
                "events|*|cron.json|''",
                "events|environment.*|cron.json|''",
                "events|environment.*|health.json|event health.disk is not one of [environment.*]",
                "events|health.*|health.json|''",
                "events|health.disk|health.json|''",
                "events|health.inodes|health.json|event health.disk is not one of [health.inodes]",
                "events|environment.p?sh|push-2022.json|''",
                "states|*|branch-in-progress.json|''",
                "events|environment.branch|branch-in-progress.json|state in_progress is not one of [complete]",
                "results|success|push-2022.json|''",
                "results|failure|push-2022.json|result success is not one of [failure]",
                "results|none|push-2022.json|result success is not one of [none]",
                "projects|proj2022abcdefg|push-2022.json|''",
                "projects|other1, other2|push-2022.json|project proj2022abcdefg is not one of [other1, other2]",
                "projects|proj2022*|push-2022.json|''",
                "environments|main|push-2022.json|''",
                "environments|main-bvxea6i|push-2022.json|''",
                "environments|feature-*|push-2022.json|environment main is not one of [feature-*]",
                "environments|staging, main|push-2022.json|''",
                "excludedEnvironments|main|push-2022.json|environment main is excluded by [main]",
                "excludedEnvironments|m*|push-2022.json|environment main is excluded by [m*]",
                "excludedEnvironments|feature-*|push-2022.json|''",
                "states|pending|health.json|event health.disk is not one of [environment.push, environment.merge]"
            })
    void eachFilterSaysWhy(String field, String value, String fixture, String expected) throws Exception {
        TriggerSpec.Builder b = TriggerSpec.builder();
        switch (field) {
            case "events" -> b.events(value);
            case "states" -> b.states(value);
            case "results" -> b.results(value);
            case "projects" -> b.projects(value);
            case "environments" -> b.environments(value);
            case "excludedEnvironments" -> b.excludedEnvironments(value);
            default -> throw new IllegalArgumentException(field);
        }
        if (field.equals("states") && fixture.equals("branch-in-progress.json")) {
            b.events("environment.branch");
        }
        String reason = why(b.build(), fixture);
        assertEquals(expected.isEmpty() ? null : expected, reason);
    }

    @Test
    void healthIgnoresStateAndResultFilters() throws Exception {
        TriggerSpec spec = TriggerSpec.builder()
                .events("health.*")
                .states("pending")
                .results("failure")
                .build();
        assertNull(why(spec, "health.json"));
    }

    @Test
    void nullResultIsNone() throws Exception {
        TriggerSpec spec = TriggerSpec.builder()
                .events("environment.branch")
                .states("in_progress")
                .results("none")
                .build();
        assertNull(why(spec, "branch-in-progress.json"));
    }

    @Test
    void keyRequirements() throws Exception {
        Activity a = Fixtures.parse("push-2022.json");
        TriggerSpec global = TriggerSpec.defaults();
        TriggerSpec own = TriggerSpec.builder().credentialsId("job-key").build();
        Verification byJobKey = Verification.verified(Set.of("job-key"), false, "signature");
        Verification byOther = Verification.verified(Set.of("other-key"), false, "signature");
        Verification unsigned = Verification.unsigned();

        assertNull(global.mismatch(a, GLOBAL));
        assertEquals(
                "the delivery was verified only with another job's key, not with the global shared key or token",
                global.mismatch(a, byJobKey));
        assertNull(
                global.mismatch(a, unsigned), "unsigned deliveries, when accepted, reach jobs without their own key");

        assertNull(own.mismatch(a, byJobKey));
        assertEquals(
                "the delivery was not verified with the shared key 'job-key', which this job requires",
                own.mismatch(a, byOther));
        assertEquals(
                "the delivery was not verified with the shared key 'job-key', which this job requires",
                own.mismatch(a, GLOBAL));
        assertEquals(
                "the delivery is unsigned, and this job requires one verified with its shared key 'job-key'",
                own.mismatch(a, unsigned));
    }

    @Test
    void aJobsSharedKeyIsNotSatisfiedByATokenWithTheSameSecret() throws Exception {
        // ?token=<the job's shared key> used to build the job: a guessing oracle for any secret a job names.
        Activity a = Fixtures.parse("push-2022.json");
        TriggerSpec own = TriggerSpec.builder().credentialsId("job-key").build();
        assertNull(own.mismatch(a, Verification.verified(Set.of("job-key"), false, "signature")));
        assertEquals(
                "the delivery was not verified with the shared key 'job-key', which this job requires",
                own.mismatch(a, Verification.verified(Set.of("job-key"), false, "token")));
    }

    @Test
    void aJobMayNameATokenBesideOrInsteadOfASharedKey() throws Exception {
        Activity a = Fixtures.parse("push-2022.json");
        TriggerSpec both = TriggerSpec.builder()
                .credentialsId("job-key")
                .tokenCredentialsId("job-token")
                .build();
        assertEquals(List.of(NamedKey.sharedKey("job-key"), NamedKey.token("job-token")), both.ownKeys());
        assertNull(both.mismatch(a, Verification.verified(Set.of("job-key"), false, "signature")));
        assertNull(both.mismatch(a, Verification.verified(Set.of("job-token"), false, "token")));
        assertEquals(
                "the delivery was not verified with the shared key 'job-key' or token 'job-token', which this job "
                        + "requires",
                both.mismatch(a, Verification.verified(Set.of("job-token"), false, "signature")));
        TriggerSpec tokenOnly =
                TriggerSpec.builder().tokenCredentialsId("job-token").build();
        assertEquals(
                "the delivery was not verified with the token 'job-token', which this job requires",
                tokenOnly.mismatch(a, Verification.verified(Set.of("job-token"), false, "signature")));
        assertEquals(
                "the delivery was not verified with the token 'job-token', which this job requires",
                tokenOnly.mismatch(a, GLOBAL));
        assertFalse(both.equals(TriggerSpec.builder().credentialsId("job-key").build()));
    }

    @Test
    void oneCredentialCannotBeBothRoles() {
        FilterException e = assertThrows(FilterException.class, () -> TriggerSpec.builder()
                .credentialsId("k")
                .tokenCredentialsId(" k ")
                .build());
        assertTrue(e.getMessage().startsWith("tokenCredentialsId: "), e.getMessage());
    }

    @Test
    void textIsNormalisedWhateverTheSeparators() {
        TriggerSpec s = TriggerSpec.builder()
                .events(" environment.push,environment.merge\n environment.cron ,, ")
                .build();
        assertEquals("environment.push, environment.merge, environment.cron", s.events());
        assertEquals(
                s,
                TriggerSpec.builder()
                        .events("environment.push environment.merge environment.cron")
                        .build());
        assertEquals(
                s.hashCode(),
                TriggerSpec.builder()
                        .events("environment.push environment.merge environment.cron")
                        .build()
                        .hashCode());
        assertFalse(s.equals(TriggerSpec.defaults()));
    }

    @Test
    void nullArgumentsKeepDefaults() {
        TriggerSpec s = TriggerSpec.builder()
                .events(null)
                .states(null)
                .results(null)
                .projects(null)
                .environments(null)
                .excludedEnvironments(null)
                .credentialsId(" ")
                .coalesce(null)
                .build();
        assertEquals(TriggerSpec.defaults(), s);
        assertNull(s.credentialsId());
        assertEquals(Coalesce.EVERY_DELIVERY, s.coalesce());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "events|''|events: Name at least one event type, for example environment.push, or * for every event.",
                "events|environment.push; rm -rf|events: 'environment.push;' is not an event type: use names such as environment.push or patterns such as environment.*",
                "states|''|states: Name at least one state, for example complete, or * for every state.",
                "states|done|states: 'done' is not an activity state; use one of pending, scheduled, staged, in_progress, complete, cancelled or *.",
                "results|ok|results: 'ok' is not an activity result; use success, failure, none (not finished), or leave empty for any.",
                "projects|<b>|projects: '<b>' is not a project id: ids are letters and digits, such as abcdefgh1234567.",
                "environments|\"main\"|environments: '\"main\"' is not an environment name.",
                "excludedEnvironments|a\\b|excludedEnvironments: 'a\\b' is not an environment name."
            })
    void invalidFiltersAreClearErrors(String field, String value, String message) {
        TriggerSpec.Builder b = TriggerSpec.builder();
        switch (field) {
            case "events" -> b.events(value);
            case "states" -> b.states(value);
            case "results" -> b.results(value);
            case "projects" -> b.projects(value);
            case "environments" -> b.environments(value);
            default -> b.excludedEnvironments(value);
        }
        FilterException e = assertThrows(FilterException.class, b::build);
        assertEquals(message, e.getMessage());
    }

    @Test
    void formValidationLevels() {
        assertTrue(FilterValidation.events("environment.push, environment.*, health.*")
                .isOk());
        Validation typo = FilterValidation.events("enviroment.push");
        assertEquals(Validation.Level.WARNING, typo.level());
        assertTrue(typo.message().contains("enviroment.push"));
        assertTrue(
                FilterValidation.events("environment.teleport").level() == Validation.Level.WARNING,
                "unknown types are legal: Platform.sh adds new ones");
        assertTrue(FilterValidation.states("complete, in_progress").isOk());
        assertTrue(FilterValidation.results("").isOk());
        assertTrue(FilterValidation.projects("").isOk());
        assertTrue(FilterValidation.environments("main, feature-*, pr-?, f\u00e9ature")
                .isOk());
        assertTrue(FilterValidation.environments("x".repeat(256)).isError());
        assertTrue(FilterValidation.environments("a\u0000b").isError());
    }

    @Test
    void coalesceNames() {
        assertEquals(Coalesce.EVERY_DELIVERY, Coalesce.of(null));
        assertEquals(Coalesce.EVERY_DELIVERY, Coalesce.of(""));
        assertEquals(Coalesce.LATEST_PER_ENVIRONMENT, Coalesce.of("latest_per_environment"));
        assertThrows(FilterException.class, () -> Coalesce.of("sometimes"));
    }

    @ParameterizedTest
    @CsvSource({
        "*, anything, true",
        "a*, a, true",
        "a*, ba, false",
        "*a, ba, true",
        "a?c, abc, true",
        "a?c, ac, false",
        "*.*, a.b, true",
        "*.*, ab, false",
        "f*-*-x, f-1-2-x, true",
        "f*-*-x, f-1-2-y, false",
        "**, '', true",
        "a*b*c*d*e*f*g, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, false"
    })
    void globs(String pattern, String value, boolean expected) {
        assertEquals(expected, Patterns.glob(pattern, value));
    }
}
