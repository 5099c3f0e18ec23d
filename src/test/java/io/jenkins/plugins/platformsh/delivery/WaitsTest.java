package io.jenkins.plugins.platformsh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.BucketKeys;
import io.jenkins.plugins.platformsh.delivery.match.FilterException;
import io.jenkins.plugins.platformsh.delivery.match.FilterValidation;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.delivery.text.Validation;
import io.jenkins.plugins.platformsh.delivery.verify.NamedKey;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import io.jenkins.plugins.platformsh.delivery.wait.Release;
import io.jenkins.plugins.platformsh.delivery.wait.Wait;
import io.jenkins.plugins.platformsh.delivery.wait.WaitSpec;
import io.jenkins.plugins.platformsh.delivery.wait.Waits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The decision about waiting steps, through the one delivery decision, with real signatures. */
class WaitsTest {

    static final String C1 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    static final String C2 = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    static final String C3 = "cccccccccccccccccccccccccccccccccccccccc";

    /** A clock tests move by hand. */
    static final class StepClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private final StepClock clock = new StepClock();
    private final Waits waits = new Waits(clock);
    private final DeliveryService service =
            new DeliveryService(new TriggerIndex(), new Deduplicator(100), new DeliveryLog(50), clock, waits);

    /** A deploying activity in the documented push shape. */
    static byte[] activity(
            String id,
            String type,
            String project,
            String env,
            String state,
            String result,
            String newCommit,
            String... commits) {
        StringBuilder list = new StringBuilder();
        for (String c : commits) {
            list.append(list.length() == 0 ? "" : ",")
                    .append("{\"sha\":\"")
                    .append(c)
                    .append("\"}");
        }
        String json = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"project\":\"" + project + "\","
                + "\"environments\":[\"" + env + "\"],\"state\":\"" + state + "\","
                + "\"result\":" + (result == null ? "null" : "\"" + result + "\"") + ","
                + "\"parameters\":{\"environment\":\"" + env + "\""
                + (newCommit == null ? "" : ",\"new_commit\":\"" + newCommit + "\"") + "},"
                + "\"payload\":{\"commits\":[" + list + "],\"deployment\":{\"routes\":{\"https://" + env
                + ".example.site/\":{\"primary\":true,\"type\":\"upstream\"}},"
                + "\"variables\":[{\"name\":\"env:DB_PASSWORD\",\"value\":\"s3cr3t-db\"}]}},"
                + "\"text\":\"Jane pushed to " + env + "\","
                + "\"_links\":{\"self\":{\"href\":\"https://api.example/activities/" + id + "\"}}}";
        return Fixtures.utf8(json);
    }

    static byte[] push(String id, String env, String commit) {
        return activity(id, "environment.push", "proj1", env, "complete", "success", commit, commit);
    }

    private Outcome send(byte[] body) {
        return service.decide(Fixtures.signed(body), DeliverySettings.defaults(), Fixtures.globalKey());
    }

    private Wait waitFor(String id, WaitSpec spec) {
        return new Wait(id, spec, clock.instant(), "job #1");
    }

    private static WaitSpec.Builder spec() {
        return WaitSpec.builder("job");
    }

    @Test
    void aMatchingVerifiedDeliveryReleasesTheWaitOnceWithTheActivityAndItsUrl() {
        assertEquals(
                Optional.empty(),
                waits.register(
                        waitFor("w1", spec().environments("pr-42").commit(C1).build())));
        Outcome o = send(push("a1", "pr-42", C1));
        assertEquals(Outcome.Kind.ACCEPTED, o.kind(), "a released wait counts as accepted");
        assertEquals("accepted", o.body());
        assertTrue(o.schedules().isEmpty());
        assertEquals(1, o.releases().size());
        Release r = o.releases().get(0);
        assertEquals("w1", r.step().id());
        assertEquals("https://pr-42.example.site/", r.view().get("url"));
        assertEquals(C1, r.view().get("commit"));
        assertFalse(r.view().toString().contains("s3cr3t-db"), "the payload is redacted");
        assertTrue(r.view().containsKey("payload"));
        assertFalse(r.failed());
        assertFalse(waits.isWaiting("w1"));
        assertEquals(List.of("job #1: " + r.step().spec().describe()), waits.releasedBy(o.deliveryId()));

        Outcome again = send(activity("a1", "environment.push", "proj1", "pr-42", "complete", "success", C1, C1));
        assertEquals(Outcome.Kind.DUPLICATE, again.kind());
        assertTrue(again.releases().isEmpty(), "released at most once");
    }

    @Test
    void aDeliveryThatArrivedBeforeTheStepBeganButAfterTheBuildStartedCounts() {
        Instant buildStart = clock.instant();
        clock.advance(Duration.ofMinutes(5));
        Outcome o = send(push("a1", "pr-42", C1));
        assertEquals(Outcome.Kind.IGNORED, o.kind(), "nothing wanted it yet");
        clock.advance(Duration.ofMinutes(5));

        Optional<Release> r =
                waits.register(new Wait("w1", spec().environments("pr-42").build(), buildStart, "job #1"));
        assertTrue(r.isPresent());
        assertEquals("a1", r.get().view().get("id"));
        assertFalse(waits.isWaiting("w1"));
        assertEquals(1, waits.releasedBy(o.deliveryId()).size(), "the page says which delivery released it");

        // One that arrived before the build started is an older deployment: it does not count.
        Optional<Release> late = waits.register(
                new Wait("w2", spec().environments("pr-42").build(), buildStart.plus(Duration.ofMinutes(6)), "job #2"));
        assertTrue(late.isEmpty());
        assertTrue(waits.isWaiting("w2"));
    }

    @Test
    void theMemoryIsBoundedByNumberAndAge() {
        Waits small = new Waits(clock, 2, Duration.ofMinutes(15));
        DeliveryService s =
                new DeliveryService(new TriggerIndex(), new Deduplicator(100), new DeliveryLog(50), clock, small);
        Instant start = clock.instant();
        s.decide(Fixtures.signed(push("old", "pr-1", C1)), DeliverySettings.defaults(), Fixtures.globalKey());
        s.decide(Fixtures.signed(push("b", "pr-2", C2)), DeliverySettings.defaults(), Fixtures.globalKey());
        s.decide(Fixtures.signed(push("c", "pr-3", C3)), DeliverySettings.defaults(), Fixtures.globalKey());
        assertTrue(
                small.register(new Wait("w1", spec().environments("pr-1").build(), start, "j"))
                        .isEmpty(),
                "pushed out by newer deliveries");
        assertTrue(small.register(new Wait("w3", spec().environments("pr-3").build(), start, "j"))
                .isPresent());
        clock.advance(Duration.ofMinutes(16));
        assertTrue(
                small.register(new Wait("w2", spec().environments("pr-2").build(), start, "j"))
                        .isEmpty(),
                "too old");
    }

    @Test
    void theMemoryIsBoundedByTheSizeOfWhatItHolds() {
        Instant start = clock.instant();
        StringBuilder big = new StringBuilder();
        while (big.length() < 9 * 1024 * 1024) {
            big.append("x".repeat(1024));
        }
        for (String env : List.of("big-1", "big-2")) {
            String body = new String(push("id-" + env, env, C1), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("\"text\":\"", "\"log\":\"" + big + "\",\"text\":\"");
            send(Fixtures.utf8(body));
        }
        assertTrue(
                waits.register(new Wait("w1", spec().environments("big-1").build(), start, "j"))
                        .isEmpty(),
                "two 9 MiB bodies pass 16 MiB: the older one is forgotten");
        Optional<Release> kept =
                waits.register(new Wait("w2", spec().environments("big-2").build(), start, "j"));
        assertTrue(kept.isPresent(), "the newest is always kept");
        assertFalse(kept.get().view().containsKey("payload"), "a large body is remembered without its payload");
    }

    @Test
    void anUnsignedForgedOrOtherKeyedDeliveryNeverReleases() {
        waits.register(waitFor("w1", spec().environments("pr-42").build()));
        byte[] body = push("a1", "pr-42", C1);
        Outcome unsigned = service.decide(Fixtures.unsigned(body), DeliverySettings.defaults(), Fixtures.globalKey());
        assertEquals(401, unsigned.status());
        Outcome forged = service.decide(
                Fixtures.signed(body, "d3Jvbmcta2V5LW5vYm9keS1rbm93cw"),
                DeliverySettings.defaults(),
                Fixtures.globalKey());
        assertEquals(403, forged.status());
        // Verified only by another job's key: like a trigger, a wait without credentialsId needs the global key.
        List<VerificationKey> otherJobs =
                List.of(VerificationKey.sharedKey("k", Fixtures.KEY, false).forTarget("other"));
        Outcome other =
                service.decide(Fixtures.signed(push("a2", "pr-42", C1)), DeliverySettings.defaults(), otherJobs);
        assertTrue(other.releases().isEmpty(), () -> other.waits().reasons().toString());
        assertTrue(
                other.waits().reasons().get("w1").contains("another job's key"),
                () -> other.waits().reasons().toString());
        assertTrue(waits.isWaiting("w1"));
        assertTrue(unsigned.releases().isEmpty() && forged.releases().isEmpty());
    }

    @Test
    void unsignedDeliveriesNeverReleaseAWaitEvenWhenTheAdministratorAcceptsThemForTriggers() {
        waits.register(waitFor("global", spec().environments("main").build()));
        waits.register(
                waitFor("own", spec().environments("main").credentialsId("own").build()));
        Outcome o = service.decide(
                Fixtures.unsigned(push("u1", "main", C1)),
                DeliverySettings.defaults().withAcceptUnsigned(true),
                Fixtures.globalKey());
        assertTrue(o.releases().isEmpty(), () -> o.releases().toString());
        assertTrue(
                o.waits().reasons().get("global").startsWith("the delivery was not verified by a key"),
                o.waits().reasons()::toString);
        // Still waiting: a signed copy of the same activity releases the wait on the global key.
        Outcome signed = service.decide(
                Fixtures.signed(push("u1", "main", C1)), DeliverySettings.defaults(), Fixtures.globalKey());
        assertEquals(
                List.of("global"),
                signed.releases().stream().map(r -> r.step().id()).toList());
    }

    @Test
    void theKeysWaitsNameChangeOnlyWhenAWaitNamingKeysStartsOrEnds() {
        long v0 = waits.keysVersion();
        waits.register(waitFor("plain", spec().environments("pr-1").build()));
        waits.remove("plain");
        assertEquals(v0, waits.keysVersion(), "a wait on the global key changes no key");
        waits.register(waitFor(
                "own",
                spec().environments("pr-42")
                        .credentialsId("own-key")
                        .tokenCredentialsId("own-token")
                        .build()));
        long v1 = waits.keysVersion();
        assertTrue(v1 > v0);
        assertEquals(
                Map.of("job", java.util.Set.of(NamedKey.sharedKey("own-key"), NamedKey.token("own-token"))),
                waits.credentialsByJob());
        List<VerificationKey> forJob = List.of(
                VerificationKey.sharedKey("own-key", Fixtures.KEY, false).forTarget("job"));
        Outcome released =
                service.decide(Fixtures.signed(push("v1", "pr-42", C1)), DeliverySettings.defaults(), forJob);
        assertEquals(1, released.releases().size());
        assertTrue(waits.keysVersion() > v1, "released: its keys are no longer named");
        assertEquals(Map.of(), waits.credentialsByJob());
    }

    @Test
    void aWaitNamingATokenIsNotReleasedByASignatureWithTheSameSecret() {
        waits.register(waitFor(
                "w1", spec().environments("pr-42").tokenCredentialsId("own").build()));
        List<VerificationKey> sharedKeyOfJob =
                List.of(VerificationKey.sharedKey("own", Fixtures.KEY, false).forTarget("job"));
        Outcome signed =
                service.decide(Fixtures.signed(push("t1", "pr-42", C1)), DeliverySettings.defaults(), sharedKeyOfJob);
        assertTrue(signed.releases().isEmpty(), () -> signed.waits().reasons().toString());
        assertTrue(waits.isWaiting("w1"));
    }

    @Test
    void aWaitNamingTheJobsOwnKeyIsReleasedOnlyByThatKeyResolvedForThatJob() {
        waits.register(
                waitFor("w1", spec().environments("pr-42").credentialsId("own").build()));
        List<VerificationKey> forOtherJob =
                List.of(VerificationKey.sharedKey("own", Fixtures.KEY, false).forTarget("other"));
        Outcome o1 = service.decide(Fixtures.signed(push("a1", "pr-42", C1)), DeliverySettings.defaults(), forOtherJob);
        assertTrue(o1.releases().isEmpty(), "same id, another job's secret");
        Outcome global = send(push("a2", "pr-42", C1));
        assertTrue(global.releases().isEmpty(), "the global key is not the job's key");
        List<VerificationKey> forJob =
                List.of(VerificationKey.sharedKey("own", Fixtures.KEY, false).forTarget("job"));
        Outcome o2 = service.decide(Fixtures.signed(push("a3", "pr-42", C1)), DeliverySettings.defaults(), forJob);
        assertEquals(1, o2.releases().size());
    }

    @Test
    void credentialsByJobListsWhatTheAdapterMustResolve() {
        waits.register(waitFor("w1", spec().credentialsId("own").build()));
        waits.register(new Wait("w2", WaitSpec.builder("folder/b").build(), clock.instant(), "b #1"));
        assertEquals(Map.of("job", java.util.Set.of(NamedKey.sharedKey("own"))), waits.credentialsByJob());
    }

    @Test
    void commitMatchesTheNewCommitOrOneOfTheCommitsOrAnAbbreviation() {
        waits.register(waitFor("head", spec().commit(C1).build()));
        waits.register(waitFor("listed", spec().commit(C2.toUpperCase()).build()));
        waits.register(waitFor("short", spec().commit(C3.substring(0, 7)).build()));
        waits.register(waitFor(
                "other",
                spec().commit("dddddddddddddddddddddddddddddddddddddddd").build()));
        Outcome o = send(activity("a1", "environment.push", "proj1", "main", "complete", "success", C1, C2, C3));
        List<String> released = new ArrayList<>();
        o.releases().forEach(r -> released.add(r.step().id()));
        assertEquals(List.of("head", "listed", "short"), released);
        assertTrue(
                o.waits().reasons().get("other").startsWith("commit " + C1 + " is not dddd"),
                o.waits().reasons()::toString);
        assertTrue(waits.isWaiting("other"));
    }

    @Test
    void aRedeployCarriesNoCommitSoAWaitForACommitIgnoresIt() {
        waits.register(waitFor("w", spec().commit(C1).build()));
        Outcome o = send(activity("r1", "environment.redeploy", "proj1", "main", "complete", "success", null));
        assertTrue(o.releases().isEmpty());
        assertEquals("commit (none) is not " + C1, o.waits().reasons().get("w"));
    }

    @Test
    void aFailedDeploymentReleasesTheWaitAsFailed() {
        waits.register(waitFor("w", spec().environments("main").build()));
        Outcome o = send(activity("f1", "environment.push", "proj1", "main", "complete", "failure", C1, C1));
        assertTrue(o.releases().get(0).failed());
        assertEquals("failure", o.releases().get(0).view().get("result"));
    }

    @Test
    void inProgressAndOtherEventsDoNotReleaseByDefault() {
        waits.register(waitFor("w", spec().environments("main").build()));
        assertEquals(
                "state in_progress is not one of [complete]",
                send(activity("p1", "environment.push", "proj1", "main", "in_progress", null, C1))
                        .waits()
                        .reasons()
                        .get("w"));
        assertTrue(send(activity("b1", "environment.backup", "proj1", "main", "complete", "success", null))
                .waits()
                .reasons()
                .get("w")
                .startsWith("event environment.backup is not one of"));
        assertEquals(
                1,
                send(activity("m1", "environment.merge", "proj1", "main", "complete", "success", null))
                        .releases()
                        .size(),
                "a merge deploys too");
    }

    @Test
    void theTimeoutExplanationNamesTheDeliveriesOfTheProjectAndWhyEachDidNotCount() {
        Wait w = waitFor(
                "w", spec().projects("proj1").environments("pr-42").commit(C1).build());
        waits.register(w);
        send(push("x1", "pr-41", C1));
        send(push("x2", "pr-42", C2));
        send(activity("x3", "environment.push", "proj2", "pr-42", "complete", "success", C1, C1));
        List<String> lines = waits.explain(w);
        assertEquals(2, lines.size(), lines::toString);
        assertTrue(
                lines.get(0).contains("activity x2")
                        && lines.get(0)
                                .endsWith("commit " + C2 + " is not " + C1 + ", nor among the activity's 1 commits"),
                lines::toString);
        assertTrue(
                lines.get(1).contains("activity x1")
                        && lines.get(1).endsWith("environment pr-41 is not one of [pr-42]"),
                lines::toString);
        assertTrue(waits.memoryLimits().contains("100"));
    }

    @Test
    void aDryRunShowsWhatWouldBeReleasedAndReleasesNothing() {
        waits.register(waitFor("w", spec().environments("main").build()));
        Outcome dry = service.dryRun(
                Fixtures.signed(push("d1", "main", C1)), DeliverySettings.defaults(), Fixtures.globalKey(), false);
        assertEquals(1, dry.releases().size());
        assertTrue(waits.isWaiting("w"));
        assertEquals(
                1,
                send(push("d1", "main", C1)).releases().size(),
                "the dry run neither remembered nor de-duplicated it");
    }

    @Test
    void removeSaysWhetherTheWaitWasStillWaiting() {
        waits.register(waitFor("w", spec().build()));
        assertTrue(waits.remove("w"));
        assertFalse(waits.remove("w"));
        assertTrue(send(push("a", "main", C1)).releases().isEmpty(), "a removed wait is never released");
    }

    private static String names(String prefix, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return String.join(", ", out);
    }

    @Test
    void aWaitForManyProjectsAndEnvironmentsFilesABoundedNumberOfEntriesAndStillMatchesExactly() {
        // 100 projects x 200 environments made 20,000 entries for one wait; 500 x 500 (saved before the caps) 250,000.
        waits.register(waitFor(
                "wide",
                spec().projects(names("proj", 100))
                        .environments(names("pr-", 200))
                        .build()));
        waits.register(waitFor(
                "saved",
                spec().uncapped()
                        .projects(names("proj", 500))
                        .environments(names("feature-", 500))
                        .build()));
        assertTrue(waits.bucketEntries() <= 2L * BucketKeys.MAX_PER_ENTRY, "entries: " + waits.bucketEntries());
        assertTrue(send(push("a", "pr-200", C1)).releases().isEmpty(), "not one of its environments");
        assertTrue(
                send(activity("b", "environment.push", "proj100", "pr-3", "complete", "success", C1, C1))
                        .releases()
                        .isEmpty(),
                "not one of its projects");
        List<Release> released = send(push("c", "pr-199", C1)).releases();
        assertEquals(List.of("wide"), released.stream().map(r -> r.step().id()).toList());
        released = send(push("d", "feature-499", C1)).releases();
        assertEquals(List.of("saved"), released.stream().map(r -> r.step().id()).toList());
    }

    @Test
    void matchingExaminesOnlyWaitsForTheDeliverysEnvironmentOrAnyEnvironment() {
        for (int i = 0; i < 2000; i++) {
            waits.register(waitFor("other-" + i, spec().environments("pr-" + i).build()));
            waits.register(
                    waitFor("other-project-" + i, spec().projects("p" + i).build()));
        }
        waits.register(waitFor("mine", spec().environments("feature-x").build()));
        waits.register(waitFor("any", spec().environments("feature-*").build()));
        long before = waits.examined();
        Outcome o = send(push("a", "feature-x", C1));
        assertEquals(2, waits.examined() - before, "the wait for this environment, and the one that globs");
        assertEquals(2, o.releases().size());
        assertEquals(4000, waits.size());
    }

    @Test
    void aReleasedWaitKeepsTheAnswerAcceptedWhenItsJobsAreSkippedButNotWhenTheirBuildsFailed() {
        TriggerIndex triggers = new TriggerIndex();
        triggers.put("job", TriggerSpec.builder().environments("main").build());
        DeliveryService s = new DeliveryService(triggers, new Deduplicator(100), new DeliveryLog(50), clock, waits);
        waits.register(waitFor("w1", spec().environments("main").build()));
        Outcome o =
                s.decide(Fixtures.signed(push("a1", "main", C1)), DeliverySettings.defaults(), Fixtures.globalKey());
        assertEquals(1, o.schedules().size());
        assertEquals(1, o.releases().size());
        Outcome skipped = s.afterScheduling(o, Map.of("job", ScheduleResult.skipped("disabled")));
        assertEquals(Outcome.Kind.ACCEPTED, skipped.kind(), "the wait was released: not 'ignored'");

        waits.register(waitFor("w2", spec().environments("main").build()));
        Outcome o2 =
                s.decide(Fixtures.signed(push("a2", "main", C1)), DeliverySettings.defaults(), Fixtures.globalKey());
        Outcome failed = s.afterScheduling(o2, Map.of("job", ScheduleResult.failed("queue refused")));
        assertEquals(503, failed.status(), "the builds may be retried");
        Outcome retry =
                s.decide(Fixtures.signed(push("a2", "main", C1)), DeliverySettings.defaults(), Fixtures.globalKey());
        assertEquals(Outcome.Kind.ACCEPTED, retry.kind());
        assertTrue(retry.releases().isEmpty(), "the retry does not release the wait a second time");
    }

    @Test
    void invalidFiltersFailWithTheFieldAndTheTriggersMessages() {
        FilterException empty =
                assertThrows(FilterException.class, () -> spec().commit("  ").build());
        assertTrue(empty.getMessage().startsWith("commit: The commit is empty"), empty::getMessage);
        FilterException bad = assertThrows(FilterException.class, () -> spec().commit("main; rm -rf /\u0000")
                .build());
        assertTrue(
                bad.getMessage().contains("is not a commit SHA")
                        && !bad.getMessage().contains("\u0000"),
                bad::getMessage);
        assertThrows(FilterException.class, () -> spec().commit("abc").build(), "too short to be safe");
        FilterException events = assertThrows(FilterException.class, () -> spec().events("environment.push; drop")
                .build());
        assertTrue(events.getMessage().startsWith("events: "), events::getMessage);
        assertTrue(FilterValidation.commit(C1.substring(0, 10)).level() == Validation.Level.WARNING);
        assertNull(spec().build().commit());
        assertEquals(WaitSpec.DEFAULT_EVENTS, spec().build().describe().substring(0, WaitSpec.DEFAULT_EVENTS.length()));
    }
}
