package io.jenkins.plugins.platformsh.delivery.outcome;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.delivery.redact.RedactedCopy;
import io.jenkins.plugins.platformsh.delivery.schedule.Schedule;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import io.jenkins.plugins.platformsh.delivery.wait.Release;
import io.jenkins.plugins.platformsh.delivery.wait.Waits;
import java.util.List;
import java.util.Optional;

/**
 * The answer to one delivery: the HTTP status and short text to send back, and the builds to queue. The body is safe
 * for anonymous callers: it never names a job.
 */
public final class Outcome {

    /** What became of the delivery. */
    public enum Kind {
        /** Verified, and at least one job wants it (it is new) or it released a waiting step. */
        ACCEPTED,
        /** Verified and new, but no job wants it. */
        IGNORED,
        /** Verified, and already seen. */
        DUPLICATE,
        /** Refused: the status says why. */
        REJECTED,
        /** Accepted, but no build could be queued; the sender should retry. */
        FAILED,
        /** A GET or HEAD (a browser, a validator checking the URL): answered, not a delivery. */
        PROBE
    }

    /** What a GET or HEAD is told: what this URL is, nothing about Jenkins or its jobs. */
    public static final String PROBE_ANSWER =
            "Platform.sh webhook endpoint: Platform.sh and Upsun POST activity webhooks here.";

    private final int status;
    private final Kind kind;
    private final String body;
    private final List<Schedule> schedules;
    private final Activity activity;
    private final MatchResult match;
    private final Verification verification;
    private final String deliveryId;
    private final boolean dryRun;
    private final Waits.Decision waits;
    /** The redacted body, made when first asked for: kept by the log for replay. Null when there is none. */
    private RedactedCopy redactedBody;

    public Outcome(
            int status,
            Kind kind,
            String body,
            List<Schedule> schedules,
            Activity activity,
            MatchResult match,
            Verification verification,
            String deliveryId,
            boolean dryRun) {
        this(status, kind, body, schedules, activity, match, verification, deliveryId, dryRun, Waits.Decision.none());
    }

    public Outcome(
            int status,
            Kind kind,
            String body,
            List<Schedule> schedules,
            Activity activity,
            MatchResult match,
            Verification verification,
            String deliveryId,
            boolean dryRun,
            Waits.Decision waits) {
        this.status = status;
        this.kind = kind;
        this.body = body;
        this.schedules = List.copyOf(schedules);
        this.activity = activity;
        this.match = match;
        this.verification = verification;
        this.deliveryId = deliveryId;
        this.dryRun = dryRun;
        this.waits = waits;
    }

    public static Outcome rejected(int status, String reason, Verification verification, boolean dryRun) {
        return new Outcome(status, Kind.REJECTED, reason, List.of(), null, null, verification, "", dryRun);
    }

    public static Outcome probe(boolean dryRun) {
        return new Outcome(200, Kind.PROBE, PROBE_ANSWER, List.of(), null, null, null, "", dryRun);
    }

    public Outcome withDeliveryId(String id) {
        return new Outcome(status, kind, body, schedules, activity, match, verification, id, dryRun, waits)
                .keeping(redactedBody);
    }

    public Outcome keeping(RedactedCopy redacted) {
        this.redactedBody = redacted;
        return this;
    }

    public RedactedCopy redactedBody() {
        return redactedBody;
    }

    public Outcome ignored(String text) {
        return new Outcome(
                200, Kind.IGNORED, text, List.of(), activity, match, verification, deliveryId, dryRun, waits);
    }

    public Outcome failed(String text) {
        return new Outcome(503, Kind.FAILED, text, List.of(), activity, match, verification, deliveryId, dryRun, waits);
    }

    public int status() {
        return status;
    }

    public Kind kind() {
        return kind;
    }

    /** Short text/plain answer. */
    public String body() {
        return body;
    }

    /** The builds to queue; empty unless {@link Kind#ACCEPTED}. In a dry run, what would be queued. */
    public List<Schedule> schedules() {
        return schedules;
    }

    /**
     * The waiting steps this delivery released (already out of the index: the adapter must complete them). In a dry
     * run, those it would release, still waiting.
     */
    public List<Release> releases() {
        return waits.released();
    }

    /** What the delivery did to the waiting steps, including why the others it was checked against stay waiting. */
    public Waits.Decision waits() {
        return waits;
    }

    public Optional<Activity> activity() {
        return Optional.ofNullable(activity);
    }

    public Optional<MatchResult> match() {
        return Optional.ofNullable(match);
    }

    public Optional<Verification> verification() {
        return Optional.ofNullable(verification);
    }

    /** The id of the delivery log entry; empty in a dry run or when the log is off. */
    public String deliveryId() {
        return deliveryId;
    }

    public boolean dryRun() {
        return dryRun;
    }

    @Override
    public String toString() {
        return status + " " + body;
    }
}
