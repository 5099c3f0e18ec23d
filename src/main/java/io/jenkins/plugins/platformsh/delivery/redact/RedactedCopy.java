package io.jenkins.plugins.platformsh.delivery.redact;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import java.util.function.Supplier;

/**
 * The redacted copy of one delivery's body, made the first time something asks for it and then shared: by the builds
 * it queues, the wait memory and the replay store. Making it costs about twice the parse, so it is not made on the
 * request path unless a build is queued; until then the received bytes are held in memory (never written anywhere),
 * and once it is made they are let go.
 */
public final class RedactedCopy implements Supplier<String> {

    private byte[] body; // guarded by this; null once the copy is made
    private final long estimate;
    private volatile String text;

    private RedactedCopy(byte[] body, String text, long estimate) {
        this.body = body;
        this.text = text;
        this.estimate = estimate;
    }

    /** The copy of a body the parser accepted, to be made when first asked for. */
    public static RedactedCopy of(byte[] body) {
        return new RedactedCopy(body, null, body.length);
    }

    /** The same, for an activity parsed from it: its length is about the body's without the {@code log}. */
    public static RedactedCopy of(byte[] body, Activity parsed) {
        return new RedactedCopy(body, null, Math.max(2, body.length - parsed.logBytes()));
    }

    /** A copy made already (read back after a restart, or replayed). */
    public static RedactedCopy ofText(String redacted) {
        return new RedactedCopy(null, redacted, redacted.length());
    }

    @Override
    public String get() {
        String t = text;
        if (t == null) {
            synchronized (this) {
                if (text == null) {
                    text = Redactor.redact(body);
                    body = null;
                }
                t = text;
            }
        }
        return t;
    }

    /** Bytes of the body as received still held for the copy: its length until the copy is made, then 0. */
    public synchronized long heldBytes() {
        return body == null ? 0 : body.length;
    }

    /** Whether the copy exists yet. */
    public boolean made() {
        return text != null;
    }

    /**
     * What it weighs in a memory budget: its length once made; before that, the body's length without its
     * {@code log} (what the copy leaves out), which redaction changes by a few bytes per secret either way.
     */
    public long weight() {
        String t = text;
        return t != null ? t.length() : estimate;
    }
}
