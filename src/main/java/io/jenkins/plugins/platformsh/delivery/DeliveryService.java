package io.jenkins.plugins.platformsh.delivery;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.activity.ActivityParser;
import io.jenkins.plugins.platformsh.delivery.activity.MalformedDeliveryException;
import io.jenkins.plugins.platformsh.delivery.dedupe.DedupeKey;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.Coalesce;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.delivery.match.TriggerIndex;
import io.jenkins.plugins.platformsh.delivery.outcome.DecisionObserver;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.BodyReader;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.receive.DeliverySettings;
import io.jenkins.plugins.platformsh.delivery.redact.RedactedCopy;
import io.jenkins.plugins.platformsh.delivery.schedule.ActivityRecord;
import io.jenkins.plugins.platformsh.delivery.schedule.CauseText;
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.delivery.schedule.Variables;
import io.jenkins.plugins.platformsh.delivery.text.Html;
import io.jenkins.plugins.platformsh.delivery.verify.SignatureVerifier;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import io.jenkins.plugins.platformsh.delivery.wait.Waits;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one decision about a delivery: receive → verify → parse → de-duplicate → match (triggers and waiting steps) →
 * record. The adapter calls {@link #decide}, completes {@link Outcome#releases()}, queues {@link Outcome#schedules()},
 * then reports back with {@link #afterScheduling}.
 *
 * <p>Statuses: 200 accepted, ignored or duplicate, and for a GET or HEAD (a probe, not a delivery); 400 malformed
 * body; 401 no signature or token where one is required; 403 a signature or token that does not verify (or a key not
 * valid for the delivery's project); 405 another method; 413 body over the limit; 415 a media type that is not JSON;
 * 503 only when every build of an accepted delivery failed to queue. Nothing here throws for any input.
 */
public final class DeliveryService {

    private final TriggerIndex index;
    private final Deduplicator dedupe;
    private final DeliveryLog log;
    private final Clock clock;
    private final Waits waits;
    private final java.util.concurrent.atomic.LongAdder buildsQueued = new java.util.concurrent.atomic.LongAdder();
    private volatile DecisionObserver observer = DecisionObserver.NONE;

    public DeliveryService(TriggerIndex index) {
        this(index, new Deduplicator(), new DeliveryLog(), Clock.systemUTC());
    }

    public DeliveryService(TriggerIndex index, Deduplicator dedupe, DeliveryLog log, Clock clock) {
        this(index, dedupe, log, clock, new Waits(clock));
    }

    public DeliveryService(TriggerIndex index, Deduplicator dedupe, DeliveryLog log, Clock clock, Waits waits) {
        this.index = index;
        this.dedupe = dedupe;
        this.log = log;
        this.clock = clock;
        this.waits = waits;
    }

    /** The waiting steps ({@code waitForPlatformsh}) that verified deliveries release. */
    public Waits waits() {
        return waits;
    }

    public TriggerIndex index() {
        return index;
    }

    public DeliveryLog log() {
        return log;
    }

    /** The one observer of decisions (metrics); {@code null} removes it. */
    public void observe(DecisionObserver o) {
        observer = o == null ? DecisionObserver.NONE : o;
    }

    /** Builds queued since start, as reported to {@link #afterScheduling}. */
    public long buildsQueued() {
        return buildsQueued.sum();
    }

    /** Decides a real delivery: remembers it as seen and records it. */
    public Outcome decide(DeliveryRequest request, DeliverySettings settings, List<VerificationKey> keys) {
        return decide(request, settings, () -> keys);
    }

    /**
     * The same, with keys resolved only once the request has passed the method, media type and size checks: a stray
     * GET or an oversized body costs the adapter no credentials lookup.
     */
    public Outcome decide(DeliveryRequest request, DeliverySettings settings, Supplier<List<VerificationKey>> keys) {
        long start = System.nanoTime();
        Outcome decided = record(request, settings, keys);
        try {
            observer.decided(decided, System.nanoTime() - start);
        } catch (RuntimeException e) {
            // metrics must never change an answer
        }
        return decided;
    }

    private Outcome record(DeliveryRequest request, DeliverySettings settings, Supplier<List<VerificationKey>> keys) {
        log.resize(settings.logSize());
        Outcome o = run(request, settings, keys, false, false);
        if (o.kind() == Outcome.Kind.PROBE || o.status() == 405) {
            log.countOnly(o); // not a delivery at all (a browser, a URL check): counted apart, not worth a log entry
            return o;
        }
        String id = log.add(
                clock.instant(),
                request.remoteAddress(),
                o.activity().orElse(null),
                o.verification().orElse(null),
                o);
        waits.delivered(o.waits(), id);
        keepForReplay(id, o, settings);
        return o.withDeliveryId(id);
    }

    /** A verified, new delivery keeps its redacted body for replay, within the configured budget. */
    private void keepForReplay(String id, Outcome o, DeliverySettings settings) {
        log.limitBodies(settings.replayBytes());
        if (!id.isEmpty()
                && o.redactedBody() != null
                && settings.replayBytes() > 0
                && (o.kind() == Outcome.Kind.ACCEPTED || o.kind() == Outcome.Kind.IGNORED)) {
            log.keepBody(id, o.redactedBody(), o.verification().orElse(null));
        }
    }

    /**
     * The same decision without side effects: nothing is marked as seen or recorded. With
     * {@code skipVerification}, the delivery is treated as verified by every key (an administrator pasting a
     * payload has no signature to give).
     */
    public Outcome dryRun(
            DeliveryRequest request, DeliverySettings settings, List<VerificationKey> keys, boolean skipVerification) {
        return run(request, settings, () -> keys, true, skipVerification);
    }

    /** The dry run, with keys resolved only when needed. */
    public Outcome dryRun(
            DeliveryRequest request,
            DeliverySettings settings,
            Supplier<List<VerificationKey>> keys,
            boolean skipVerification) {
        return run(request, settings, keys, true, skipVerification);
    }

    /**
     * Records what queuing did, one {@link ScheduleResult} per scheduled target (a target missing from the map counts
     * as failed). Once any build is queued the answer stays 200, so that a retry never builds twice. If nothing was
     * queued and something failed, the delivery is forgotten as seen and answered 503, so that a retry (if the sender
     * makes one: Platform.sh does not document it) is accepted.
     * If every matching job was skipped (disabled, deleted), a retry would meet the same jobs: 200, ignored.
     */
    public Outcome afterScheduling(Outcome outcome, Map<String, ScheduleResult> results) {
        if (outcome.kind() != Outcome.Kind.ACCEPTED || outcome.dryRun()) {
            return outcome;
        }
        Map<String, ScheduleResult> complete = new HashMap<>();
        boolean anyQueued = false;
        boolean anyFailed = false;
        for (Schedule s : outcome.schedules()) {
            ScheduleResult r = results.getOrDefault(s.targetId(), ScheduleResult.failed("no result was reported"));
            complete.put(s.targetId(), r);
            if (r.status() == ScheduleResult.Status.QUEUED) {
                anyQueued = true;
                buildsQueued.increment();
            }
            anyFailed |= r.status() == ScheduleResult.Status.FAILED;
        }
        Outcome after = outcome;
        // A released waiting step counts as accepted, but does not hide failed builds: a retry cannot release a wait
        // twice (it has left the index), and it may queue the builds.
        if (!anyQueued && anyFailed) {
            if (!log.isReplay(outcome.deliveryId())) { // a replay never marked its delivery as seen
                outcome.activity()
                        .ifPresent(a -> dedupe.forget(
                                dedupeKey(a, outcome.verification().orElse(null))));
            }
            after = outcome.failed("not queued: no build could be queued, retry later");
        } else if (!anyQueued && outcome.releases().isEmpty()) {
            after = outcome.ignored("ignored: the matching jobs cannot build (skipped; the deliveries page says why)");
        }
        log.update(outcome.deliveryId(), outcome, after, complete); // counters move even with the log turned off
        return after;
    }

    /**
     * Replays a recorded delivery against the triggers as they are now, for an administrator (after fixing a job's
     * filter, say). Only a delivery that was verified and new (accepted or ignored) keeps its redacted body, so a
     * rejected delivery (bad or missing signature, wrong project) or a duplicate can never be replayed into a build.
     * It is matched as verified by the same keys as when it arrived, among those still configured. By default the
     * jobs it (or an earlier replay of it) already queued are left out; {@code buildAgain} builds them again. The
     * replay is recorded as its own entry, linked to the original; the de-duplication memory is not touched.
     *
     * <p>Answers: 200 accepted or ignored (the reason says why), 404 when the delivery is no longer in the log, 409
     * when it cannot be replayed.
     */
    public Outcome replay(
            String deliveryId, DeliverySettings settings, List<VerificationKey> keys, boolean buildAgain, String by) {
        DeliveryLog.Entry original = deliveryId == null ? null : log.get(deliveryId);
        if (original == null) {
            return Outcome.rejected(
                    404,
                    "no delivery " + CauseText.part(String.valueOf(deliveryId))
                            + " in the log (it may have been dropped)",
                    null,
                    false);
        }
        if (!original.replayOf().isEmpty()) {
            return Outcome.rejected(
                    409, "this is a replay: replay the original delivery " + original.replayOf(), null, false);
        }
        String body = original.body();
        Verification was = original.keptVerification();
        if (original.outcome() == Outcome.Kind.REJECTED
                || original.outcome() == Outcome.Kind.DUPLICATE
                || body == null
                || was == null) {
            return Outcome.rejected(
                    409,
                    "cannot be replayed: only a verified delivery seen for the first time keeps"
                            + " its body, and only while the replay storage has room",
                    null,
                    false);
        }
        Verification now = was.status() == Verification.Status.UNSIGNED
                ? (settings.acceptUnsigned() ? was : null)
                : was.rememberedFor(keys);
        if (now == null) {
            return Outcome.rejected(
                    409, "cannot be replayed: the keys that verified it are no longer configured", null, false);
        }
        Activity activity;
        try {
            activity = ActivityParser.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (MalformedDeliveryException e) {
            return Outcome.rejected(409, "cannot be replayed: the kept body no longer parses", null, false);
        }
        if (now.status() == Verification.Status.VERIFIED) {
            // As for a live delivery: only keys valid today for the delivery's project count.
            now = scopeToProject(now, keys, activity.project());
            if (now == null) {
                return Outcome.rejected(
                        409,
                        "cannot be replayed: the keys that verified it are no longer valid for its project",
                        null,
                        false);
            }
        }
        MatchResult match = index.match(activity, now);
        java.util.Set<String> built = buildAgain ? java.util.Set.of() : log.builtFor(deliveryId);
        List<MatchResult.Match> toBuild = new ArrayList<>();
        for (MatchResult.Match m : match.matched()) {
            if (!built.contains(m.targetId())) {
                toBuild.add(m);
            }
        }
        String who = CauseText.part(by == null || by.isBlank() ? "an administrator" : by);
        Outcome o;
        if (toBuild.isEmpty()) {
            String why = match.matched().isEmpty()
                    ? "replay ignored: no job's trigger matches this delivery now"
                    : "replay ignored: every matching job already built this delivery (build again to rebuild)";
            o = new Outcome(200, Outcome.Kind.IGNORED, why, List.of(), activity, match, now, "", false);
        } else {
            RedactedCopy redacted = RedactedCopy.ofText(body);
            o = new Outcome(
                    200,
                    Outcome.Kind.ACCEPTED,
                    "replay accepted",
                    schedules(activity, toBuild, redacted, "Replayed by " + who + ": "),
                    activity,
                    match,
                    now,
                    "",
                    false);
        }
        log.resize(settings.logSize());
        String id = log.addReplay(clock.instant(), deliveryId, who, activity, now, o);
        return o.withDeliveryId(id);
    }

    private Outcome run(
            DeliveryRequest request,
            DeliverySettings settings,
            Supplier<List<VerificationKey>> keySource,
            boolean dryRun,
            boolean skipVerification) {
        String method = request.method();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return Outcome.probe(dryRun);
        }
        if (!"POST".equals(method)) {
            return Outcome.rejected(405, "method not allowed: deliveries are POSTed", null, dryRun);
        }
        String contentTypeProblem = checkContentType(request.header("Content-Type"));
        if (contentTypeProblem != null) {
            return Outcome.rejected(415, contentTypeProblem, null, dryRun);
        }
        if (!skipVerification && !settings.acceptUnsigned() && !SignatureVerifier.carriesCredential(request)) {
            // Anonymous noise is refused before its body is read or a single key resolved: it costs next to nothing.
            return Outcome.rejected(
                    401,
                    "unauthorized: " + SignatureVerifier.NO_CREDENTIAL,
                    Verification.missing(SignatureVerifier.NO_CREDENTIAL),
                    dryRun);
        }
        Verification malformed = skipVerification ? null : SignatureVerifier.checkShape(request);
        if (malformed != null) {
            return Outcome.rejected(403, "forbidden: " + malformed.reason(), malformed, dryRun);
        }
        byte[] body;
        try {
            body = BodyReader.read(request.body(), request.contentLength(), settings.maxBodyBytes());
        } catch (BodyReader.TooLargeException e) {
            return Outcome.rejected(
                    413, "payload too large: the limit is " + settings.maxBodyBytes() + " bytes", null, dryRun);
        } catch (IOException | RuntimeException e) {
            return Outcome.rejected(400, "bad request: the body could not be read", null, dryRun);
        }

        List<VerificationKey> keys;
        try {
            keys = List.copyOf(keySource.get());
        } catch (RuntimeException e) {
            // Jenkins could not read its credentials: not the sender's fault, and nothing was decided. Retry.
            return Outcome.rejected(503, "not queued: the keys could not be read, retry later", null, dryRun);
        }
        Verification verification = skipVerification
                ? Verification.trusted(keys)
                : SignatureVerifier.verify(request, body, keys, settings.acceptUnsigned());
        if (verification.status() == Verification.Status.MISSING) {
            return Outcome.rejected(401, "unauthorized: " + verification.reason(), verification, dryRun);
        }
        if (verification.status() == Verification.Status.INVALID) {
            return Outcome.rejected(403, "forbidden: " + verification.reason(), verification, dryRun);
        }

        Activity activity;
        try {
            activity = ActivityParser.parse(body);
        } catch (MalformedDeliveryException e) {
            return Outcome.rejected(400, "bad request: " + e.getMessage(), verification, dryRun);
        }

        if (verification.status() == Verification.Status.VERIFIED && !skipVerification) {
            Verification verificationBeforeScoping = verification;
            verification = scopeToProject(verification, keys, activity.project());
            if (verification == null) {
                return new Outcome(
                        403,
                        Outcome.Kind.REJECTED,
                        "forbidden: the key that signed this delivery is not valid for its project",
                        List.of(),
                        activity,
                        null,
                        verificationBeforeScoping,
                        "",
                        dryRun);
            }
        }

        DedupeKey key = dedupeKey(activity, verification);
        boolean duplicate = dryRun ? dedupe.seen(key) : !dedupe.firstTime(key);
        // A duplicate never reaches the waits: it is as old as its first copy, which may predate the build, and
        // anyone who captured a signed delivery could otherwise end (or fail) a wait with it.
        // Redacted once per delivery, and only when first asked for: by a queued build, a released wait, a replay or
        // the state writer, not by the decision itself.
        RedactedCopy redacted = RedactedCopy.of(body, activity);
        Waits.Decision released = duplicate
                ? Waits.Decision.none()
                : dryRun
                        ? waits.peek(activity, verification, body.length, redacted)
                        : waits.offer(activity, verification, body.length, redacted);
        boolean releases = !released.released().isEmpty();
        if (released.keepsCopy()) {
            log.settleLater(redacted); // made by the state writer, not left as received until a wait asks
        }
        if (duplicate) {
            return new Outcome(
                    200,
                    Outcome.Kind.DUPLICATE,
                    "duplicate: this delivery was already received",
                    List.of(),
                    activity,
                    null,
                    verification,
                    "",
                    dryRun);
        }

        MatchResult match = index.match(activity, verification);
        if (match.matched().isEmpty()) {
            return new Outcome(
                            200,
                            releases ? Outcome.Kind.ACCEPTED : Outcome.Kind.IGNORED,
                            releases ? "accepted" : "ignored: no job's trigger matches this delivery",
                            List.of(),
                            activity,
                            match,
                            verification,
                            "",
                            dryRun,
                            released)
                    .keeping(redacted);
        }
        return new Outcome(
                        200,
                        Outcome.Kind.ACCEPTED,
                        "accepted",
                        schedules(activity, match.matched(), redacted, ""),
                        activity,
                        match,
                        verification,
                        "",
                        dryRun,
                        released)
                .keeping(redacted);
    }

    private static List<Schedule> schedules(
            Activity activity, List<MatchResult.Match> matched, RedactedCopy redacted, String causePrefix) {
        Map<String, String> variables = Variables.of(activity);
        String plain = causePrefix + CauseText.plain(activity);
        String html = Html.escape(causePrefix) + CauseText.html(activity);
        String coalesceKey = Coalesce.key(activity);
        Schedule.Once<ActivityRecord> record = new Schedule.Once<>(() -> ActivityRecord.of(activity, redacted.get()));
        List<Schedule> out = new ArrayList<>(matched.size());
        for (MatchResult.Match m : matched) {
            out.add(new Schedule(
                    m.targetId(), m.spec(), variables, plain, html, coalesceKey, redacted, record, activity));
        }
        return out;
    }

    /**
     * The activity's own identity (project, id, state, result), whatever keys are configured, remembered for each key
     * that verified it: {@link DedupeKey} says why.
     */
    private static DedupeKey dedupeKey(Activity a, Verification v) {
        return DedupeKey.of(a, v);
    }

    /** The verification restricted to keys valid for the project; null if none is. */
    private static Verification scopeToProject(Verification v, List<VerificationKey> keys, String project) {
        List<VerificationKey> valid = new ArrayList<>();
        for (VerificationKey k : keys) {
            if (v.verifiedBy(k) && k.appliesTo(project)) {
                valid.add(k);
            }
        }
        return valid.isEmpty() ? null : v.restrictedTo(valid);
    }

    /**
     * Null when the body is to be read as JSON, else the 415 reason. Which Content-Type Platform.sh sends is not
     * documented (only a 2019 health sample shows {@code application/json}), so none at all, {@code text/plain} and
     * generic binary are read as JSON too: the signature, not the header, decides whether a delivery counts. Types that
     * say the body is something else (forms, multipart, XML, HTML) are refused, as is a charset other than UTF-8.
     */
    static String checkContentType(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String[] parts = header.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!READ_AS_JSON.contains(type) && !(type.startsWith("application/") && type.endsWith("+json"))) {
            return "unsupported media type: send JSON (application/json)";
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                String charset = param.substring(eq + 1).trim().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    return "unsupported media type: only UTF-8 JSON is accepted";
                }
            }
        }
        return null;
    }

    private static final java.util.Set<String> READ_AS_JSON =
            java.util.Set.of("application/json", "text/json", "text/plain", "application/octet-stream");
}
