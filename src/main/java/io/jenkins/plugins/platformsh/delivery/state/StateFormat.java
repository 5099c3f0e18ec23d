package io.jenkins.plugins.platformsh.delivery.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.dedupe.Deduplicator;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.redact.RedactedCopy;
import io.jenkins.plugins.platformsh.delivery.text.Clip;
import io.jenkins.plugins.platformsh.delivery.text.Json;
import io.jenkins.plugins.platformsh.delivery.verify.Audience;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files that keep the de-duplication memory and the delivery log across a restart, as JSON. What is written is
 * what the page already shows (parsed fields, answers, each entry's jobs in their stored form: see {@link
 * DeliveryLog.StoredJobs}), who may see each entry (see {@link Audience}) and, for replay, the redacted body of a
 * verified delivery with the ids of the keys that verified it: never a key, a token, a signature or a raw body. Reading is forgiving: a file that is not of this format, truncated or corrupt, is refused whole with a
 * reason (the caller warns and starts empty), and a single odd entry is skipped.
 */
public final class StateFormat {

    /** Bumped if the layout changes incompatibly; a file of another version is ignored, not misread. */
    static final int VERSION = 1;

    static final ObjectMapper MAPPER = new ObjectMapper(Json.FACTORY);

    /** A file that could not be read back; the message says why, without its content. */
    public static final class UnreadableStateException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableStateException(String message) {
            super(message);
        }
    }

    private StateFormat() {}

    // ---- de-duplication memory

    /**
     * {@code {"format":1,"keys":[],"seen":[{"key":<key reference>,"used":<n>,"seen":[<digest>...]}...]}}: each
     * key's share, entries oldest first, with the sequence number of the key's last use, which decides who gets the
     * shares of their own after a restart (a key's entries in the others' share may come in several runs, each with
     * the same {@code used}). {@code keys} is where versions before shares kept their keys: written empty, so that an
     * older version reading this file starts with an empty memory instead of setting the file aside; versions without
     * {@code used} ignore it.
     */
    public static byte[] dedupeToJson(Deduplicator dedupe) {
        return dedupeToJson(dedupe.oldestFirst(), 0);
    }

    /**
     * The same, of what the memory held when the journal's generation {@code journal} began: the load replays only the
     * journal files of that generation and later ones onto it (see {@link #journalGeneration}).
     */
    static byte[] dedupeToJson(List<Deduplicator.Remembered> oldestFirst, long journal) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", VERSION);
        root.put("journal", journal);
        root.putArray("keys");
        ArrayNode shares = root.putArray("seen");
        ArrayNode current = null;
        String currentShare = null;
        for (Deduplicator.Remembered r : oldestFirst) {
            if (current == null || !r.share().equals(currentShare)) { // a run of one key's entries
                ObjectNode share = shares.addObject();
                share.put("key", r.share());
                share.put("used", r.used());
                current = share.putArray("seen");
                currentShare = r.share();
            }
            current.add(r.entry());
        }
        return write(root);
    }

    /**
     * Adds the stored entries to {@code dedupe}, as older than what it saw since start. Reads every layout: {@code
     * seen} (by key, with or without {@code used}) and {@code keys}, the single list of {@code <id>|<state>|<project>|<keys>} texts that versions
     * before shares wrote, each remembered in the shares of the keys it names.
     */
    public static int restoreDedupe(Deduplicator dedupe, byte[] json) throws UnreadableStateException {
        return restoreDedupe(dedupe, read(json));
    }

    static int restoreDedupe(Deduplicator dedupe, JsonNode root) throws UnreadableStateException {
        JsonNode keys = root.get("keys");
        JsonNode seen = root.get("seen");
        if ((keys == null || !keys.isArray()) && (seen == null || !seen.isArray())) {
            throw new UnreadableStateException("no list of keys");
        }
        List<Deduplicator.Remembered> out = new ArrayList<>();
        if (keys != null && keys.isArray()) {
            List<String> old = new ArrayList<>(keys.size());
            keys.forEach(k -> {
                if (k.isTextual()) {
                    old.add(k.asText());
                }
            });
            // Only the newest can fit: a file from a larger memory (or edited by hand) is cut from its old end.
            old.subList(0, (int) Math.max(0, old.size() - dedupe.capacity())).clear();
            out.addAll(Deduplicator.legacy(old));
        }
        if (seen != null && seen.isArray()) {
            for (JsonNode share : seen) {
                String key = text(share, "key");
                JsonNode entries = share.get("seen");
                JsonNode u = share.get("used"); // absent in files written before it was kept: 0, ranked by position
                long used = u != null && u.isIntegralNumber() && u.canConvertToLong() ? u.asLong() : 0;
                if (key != null && entries != null && entries.isArray()) {
                    entries.forEach(e -> {
                        if (e.isTextual()) {
                            out.add(new Deduplicator.Remembered(key, e.asText(), used));
                        }
                    });
                }
            }
        }
        int before = dedupe.size();
        dedupe.restore(out);
        return Math.max(0, dedupe.size() - before);
    }

    // ---- delivery log

    public static byte[] logToJson(DeliveryLog log) {
        log.settleBodies(); // the replay copies not made yet are made here, by the writer, off the request path
        byte[] out = logToJson(LogView.of(log), 0);
        log.settleBodies(); // a copy kept meanwhile was made above: counted at its length now, not at the next write
        return out;
    }

    /** The log as it was at one moment, when the journal's generation {@code journal} began. */
    static byte[] logToJson(LogView view, long journal) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", VERSION);
        root.put("journal", journal);
        root.put("sequence", view.sequence());
        ObjectNode c = root.putObject("counters");
        view.counters().forEach(c::put);
        ArrayNode e = root.putArray("deliveries");
        view.entries().forEach(entry -> e.add(entryToJson(entry)));
        ArrayNode r = root.putArray("refused");
        view.refused().forEach(entry -> r.add(entryToJson(entry)));
        return write(root);
    }

    /**
     * The first journal generation a snapshot does not hold: 0 in files written before the journal existed (and in
     * those written by {@link #dedupeToJson(Deduplicator)} and {@link #logToJson(DeliveryLog)}).
     */
    static long journalGeneration(JsonNode root) {
        JsonNode g = root.get("journal");
        return g != null && g.canConvertToLong() ? Math.max(0, g.asLong()) : 0;
    }

    /** Merges the stored log into {@code log} (see {@link DeliveryLog#restore}); returns the entries read. */
    public static int restoreLog(DeliveryLog log, byte[] json) throws UnreadableStateException {
        return restoreLog(log, read(json));
    }

    static int restoreLog(DeliveryLog log, JsonNode root) throws UnreadableStateException {
        List<DeliveryLog.Entry> entries = entries(root.get("deliveries"));
        List<DeliveryLog.Entry> refused = entries(root.get("refused"));
        Map<String, Long> counters = new LinkedHashMap<>();
        JsonNode c = root.get("counters");
        if (c != null && c.isObject()) {
            c.fields().forEachRemaining(f -> {
                if (f.getValue().canConvertToLong() && f.getValue().asLong() > 0) {
                    counters.put(f.getKey(), f.getValue().asLong());
                }
            });
        }
        JsonNode seq = root.get("sequence");
        long sequence = seq != null && seq.canConvertToLong() ? seq.asLong() : 0;
        for (DeliveryLog.Entry e : entries) {
            sequence = Math.max(sequence, idNumber(e.deliveryId()));
        }
        for (DeliveryLog.Entry e : refused) {
            sequence = Math.max(sequence, idNumber(e.deliveryId()));
        }
        log.restore(entries, refused, counters, sequence);
        return entries.size() + refused.size();
    }

    /** One entry's stored form: the only place an entry is written, in a snapshot and in the journal alike. */
    public static ObjectNode entryToJson(DeliveryLog.Entry e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", e.deliveryId());
        o.put("receivedAt", e.receivedAt() == null ? null : e.receivedAt().toString());
        o.put("remoteAddress", e.remoteAddress());
        if (e.activityId() != null || e.type() != null) {
            ObjectNode a = o.putObject("activity");
            a.put("id", e.activityId());
            a.put("type", e.type());
            a.put("project", e.project());
            a.put("environment", e.environment());
            a.put("state", e.state());
        }
        o.put("verification", e.verification());
        o.put("status", e.status());
        o.put("outcome", e.outcome().name());
        o.put("reason", e.reason());
        // The stored form of its jobs (DeliveryLog.StoredJobs): bounded whatever the number of jobs. Versions before
        // it read "targets", absent here: they show no per-job results for these entries, and do not fail.
        DeliveryLog.StoredJobs jobs = e.storedJobs();
        o.put("jobCount", jobs.jobCount());
        results(o.putArray("matched"), jobs.matched());
        if (jobs.matchedNotStored() > 0) {
            o.put("matchedNotStored", jobs.matchedNotStored());
        }
        results(o.putArray("considered"), jobs.considered());
        ArrayNode groups = o.putArray("summary");
        jobs.summary().forEach(g -> groups.addObject().put("reason", g.reason()).put("jobs", g.jobs()));
        Audience audience = e.audience();
        if (audience.verified()) {
            ObjectNode seen = o.putObject("seenBy");
            seen.put("global", audience.global());
            audience.targets().stream().sorted().forEach(seen.putArray("targets")::add);
        }
        if (!e.replayOf().isEmpty()) {
            o.put("replayOf", e.replayOf());
            o.put("replayedBy", e.replayedBy());
        }
        String body = e.body();
        Verification v = e.keptVerification();
        if (body != null && v != null) {
            // Already redacted; kept within the replay budget. The verification is which keys, never a secret.
            ObjectNode kept = o.putObject("kept");
            kept.put("body", body);
            kept.put("status", v.status().name());
            v.keyIds().forEach(kept.putArray("keyIds")::add);
            ArrayNode refs = kept.putArray("refs");
            if (v.refs().size() <= Audience.MAX_TARGETS) {
                v.refs().forEach(refs::add);
            } else {
                // Thousands of jobs' own keys (one id named by every branch job) would repeat every job's name in
                // every entry: only the keys of the global configuration are kept, and a replay after a restart
                // reaches the jobs they reach.
                v.refs().stream().filter(VerificationKey::globalRef).forEach(refs::add);
                kept.put("refsNotStored", v.refs().size() - refs.size());
            }
            kept.put("global", v.global());
            kept.put("method", v.method());
        }
        return o;
    }

    private static void results(ArrayNode into, List<MatchResult.TargetResult> results) {
        results.forEach(r -> into.addObject()
                .put("job", r.targetId())
                .put("matched", r.matched())
                .put("reason", r.reason()));
    }

    private static List<MatchResult.TargetResult> results(JsonNode array) {
        List<MatchResult.TargetResult> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode r : array) {
                String job = text(r, "job");
                if (job != null) {
                    out.add(new MatchResult.TargetResult(
                            job,
                            r.path("matched").asBoolean(false),
                            java.util.Objects.requireNonNullElse(text(r, "reason"), "")));
                }
            }
        }
        return out;
    }

    /** The stored form of an entry's jobs; from the "targets" list of format 1 files written before it. */
    private static DeliveryLog.StoredJobs storedJobs(JsonNode o) {
        long notStored = Math.max(0, o.path("targetsNotStored").asLong(0));
        JsonNode old = o.get("targets");
        if (o.get("matched") == null && old != null && old.isArray()) {
            // Matched jobs were listed first, as "matched" or (not queued) "matched, but ...".
            List<MatchResult.TargetResult> matched = new ArrayList<>();
            List<MatchResult.TargetResult> others = new ArrayList<>();
            Map<String, Integer> byReason = new LinkedHashMap<>();
            for (MatchResult.TargetResult t : results(old)) {
                if (t.matched() || t.reason().startsWith("matched")) {
                    matched.add(t);
                } else {
                    others.add(t);
                    byReason.merge(t.reason(), 1, Integer::sum);
                }
            }
            List<MatchResult.ReasonCount> summary = new ArrayList<>();
            byReason.forEach((r, n) -> summary.add(new MatchResult.ReasonCount(r, n)));
            if (notStored > 0) {
                summary.add(new MatchResult.ReasonCount(
                        "not kept across the restart", (int) Math.min(notStored, Integer.MAX_VALUE)));
            }
            summary.sort((x, y) -> Integer.compare(y.jobs(), x.jobs()));
            return new DeliveryLog.StoredJobs(
                    (int) Math.min(Integer.MAX_VALUE, matched.size() + others.size() + notStored),
                    matched,
                    0,
                    others,
                    summary);
        }
        List<MatchResult.ReasonCount> summary = new ArrayList<>();
        JsonNode groups = o.get("summary");
        if (groups != null && groups.isArray()) {
            for (JsonNode g : groups) {
                String reason = text(g, "reason");
                int jobs = g.path("jobs").asInt(0);
                if (reason != null && jobs > 0) {
                    summary.add(new MatchResult.ReasonCount(Clip.to(reason, MatchResult.MAX_REASON), jobs));
                }
            }
        }
        summary.sort((x, y) -> Integer.compare(y.jobs(), x.jobs()));
        return new DeliveryLog.StoredJobs(
                o.path("jobCount").asInt(0),
                results(o.get("matched")),
                o.path("matchedNotStored").asInt(0),
                results(o.get("considered")),
                summary);
    }

    /** Who may see it; nobody for an entry stored before this was kept (its keys are not known). */
    private static Audience audience(JsonNode o) {
        JsonNode seen = o.get("seenBy");
        if (seen == null || !seen.isObject()) {
            return Audience.NONE;
        }
        return new Audience(true, seen.path("global").asBoolean(false), texts(seen.get("targets")));
    }

    private static List<DeliveryLog.Entry> entries(JsonNode array) throws UnreadableStateException {
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new UnreadableStateException("deliveries are not a list");
        }
        List<DeliveryLog.Entry> out = new ArrayList<>(array.size());
        for (JsonNode o : array) {
            DeliveryLog.Entry e = entry(o);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * One stored entry, or null if it lacks what the page needs (an id and a known outcome): the only place an entry is
     * read, from a snapshot and from the journal alike.
     */
    public static DeliveryLog.Entry entry(JsonNode o) {
        if (!o.isObject()) {
            return null;
        }
        String id = text(o, "id");
        Outcome.Kind kind = kind(text(o, "outcome"));
        if (id == null || id.isEmpty() || kind == null) {
            return null;
        }
        Instant at;
        try {
            String when = text(o, "receivedAt");
            at = when == null ? null : Instant.parse(when);
        } catch (DateTimeParseException ex) {
            at = null;
        }
        Activity activity = null;
        JsonNode a = o.get("activity");
        if (a != null && a.isObject()) {
            Activity.Builder b = new Activity.Builder();
            b.id = text(a, "id");
            b.type = text(a, "type");
            b.project = text(a, "project");
            b.environment = text(a, "environment");
            b.state = text(a, "state");
            activity = b.build();
        }
        int status = o.path("status").asInt(0);
        DeliveryLog.Entry e = new DeliveryLog.Entry(
                id,
                at,
                text(o, "remoteAddress"),
                activity,
                java.util.Objects.requireNonNullElse(text(o, "verification"), ""),
                audience(o),
                status,
                kind,
                java.util.Objects.requireNonNullElse(text(o, "reason"), ""),
                storedJobs(o));
        if (text(o, "replayOf") != null) {
            e.markReplay(text(o, "replayOf"), text(o, "replayedBy"));
        }
        JsonNode kept = o.get("kept");
        if (kept != null
                && kept.isObject()
                && text(kept, "body") != null
                && e.replayOf().isEmpty()) {
            Verification.Status vs = verificationStatus(text(kept, "status"));
            if (vs != null
                    && (kind == Outcome.Kind.ACCEPTED || kind == Outcome.Kind.IGNORED || kind == Outcome.Kind.FAILED)) {
                e.keep(
                        RedactedCopy.ofText(text(kept, "body")),
                        0,
                        Verification.stored(
                                vs,
                                texts(kept.get("keyIds")),
                                texts(kept.get("refs")),
                                kept.path("global").asBoolean(false),
                                java.util.Objects.requireNonNullElse(text(kept, "method"), "a stored key")));
            }
        }
        return e;
    }

    /** Only the two statuses that let a delivery through; anything else in the file keeps no body. */
    private static Verification.Status verificationStatus(String name) {
        if ("VERIFIED".equals(name)) {
            return Verification.Status.VERIFIED;
        }
        return "UNSIGNED".equals(name) ? Verification.Status.UNSIGNED : null;
    }

    private static java.util.Set<String> texts(JsonNode array) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> {
                if (n.isTextual()) {
                    out.add(n.asText());
                }
            });
        }
        return out;
    }

    private static Outcome.Kind kind(String name) {
        if (name == null) {
            return null;
        }
        try {
            return Outcome.Kind.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static long idNumber(String deliveryId) {
        if (deliveryId.length() > 1 && deliveryId.charAt(0) == 'd') {
            try {
                return Long.parseLong(deliveryId.substring(1));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || !v.isValueNode() || v.isNull() ? null : v.asText();
    }

    static JsonNode read(byte[] json) throws UnreadableStateException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException | RuntimeException e) {
            throw new UnreadableStateException("not valid JSON (truncated or corrupt)");
        }
        if (root == null || !root.isObject()) {
            throw new UnreadableStateException("not a JSON object");
        }
        JsonNode version = root.get("format");
        if (version == null || version.asInt(-1) != VERSION) {
            throw new UnreadableStateException(
                    "format " + (version == null ? "missing" : version.asText()) + ", expected " + VERSION);
        }
        return root;
    }

    static byte[] write(ObjectNode root) {
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree could not be written", e); // not for a tree of plain values
        }
    }
}
