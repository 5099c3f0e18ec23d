package io.jenkins.plugins.platformsh.delivery;

import java.util.function.Supplier;

/**
 * The redacted copy of one delivery's body, made the first time something asks for it and then shared: by the builds
 * it queues, the wait memory and the replay store. Making it costs about twice the parse, so it is not made on the
 * request path unless a build is queued; until then the received bytes are held in memory (never written anywhere),
 * and once it is made they are let go.
 */
public final class RedactedCopy implements Supplier<String> {

    private byte[] body; // guarded by this; null once the copy is made
    private final int bodyLength;
    private volatile String text;

    private RedactedCopy(byte[] body, String text) {
        this.body = body;
        this.bodyLength = body == null ? text.length() : body.length;
        this.text = text;
    }

    /** The copy of a body the parser accepted, to be made when first asked for. */
    public static RedactedCopy of(byte[] body) {
        return new RedactedCopy(body, null);
    }

    /** A copy made already (read back after a restart, or replayed). */
    public static RedactedCopy ofText(String redacted) {
        return new RedactedCopy(null, redacted);
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

    /** Whether the copy exists yet. */
    public boolean made() {
        return text != null;
    }

    /**
     * What it weighs in a memory budget: its length once made, before that the body's (the copy is about as long or,
     * without the {@code log}, much shorter).
     */
    public long weight() {
        String t = text;
        return t != null ? t.length() : bodyLength;
    }
}
