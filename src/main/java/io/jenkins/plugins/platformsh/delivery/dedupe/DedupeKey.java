package io.jenkins.plugins.platformsh.delivery.dedupe;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.verify.Verification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What makes two deliveries the same one, and in which shares of the {@link Deduplicator} to look for it.
 *
 * <p><b>The identity is the activity's own</b>: its kind, id, state, result and project. Platform.sh sends an activity
 * once per state the integration listens to, and a result that differs is a different fact (a failure must never be
 * hidden behind an earlier success), so both are part of it. Which keys are configured is not: a trigger or a
 * {@code waitForPlatformsh} naming the same credentials may register or end between a delivery and its retry, and the
 * retry must stay a duplicate.
 *
 * <p><b>The shares are the keys that verified it.</b> Keys used to be part of the identity so that a delivery verified
 * by one key could not mark as seen a delivery that other keys verify: a job's own key reaches that job only, but
 * may sign any activity id of any project, so a holder who sends an id first must not make the real delivery a
 * duplicate for every other job. That protection is kept by where an identity is remembered instead of what it is:
 * each verifying key remembers what it verified, in its own share, and a delivery is a duplicate when <em>any</em>
 * key that verifies it now remembers it. Adding a key that also verifies it (a trigger, a wait) or removing one of
 * several changes nothing; a delivery is new again only when none of the keys that verified it before verifies it
 * now (all were removed or renamed), as after a key rotation. An unsigned delivery (with <i>accept unsigned</i> on) is
 * remembered in a share of its own, so that anyone on the internet sending an activity id first cannot suppress the
 * signed delivery.
 *
 * <p>The identity is kept as a 128-bit digest (22 characters), so that an entry has the same small size whatever the
 * payload's ids are.
 */
public final class DedupeKey {

    /** The share of unsigned deliveries; no credentials id is empty, so no key's share has this name. */
    public static final String UNSIGNED = "\u0000unsigned";

    static final int DIGEST_CHARS = 22;
    /** Marks an entry read from a file of the older layout: {@code ~<digest>}. */
    static final char LEGACY = '~';

    private final List<String> shares;
    private final String entry;
    /**
     * What the activity's key began with in a dedupe.json of an older version (no result in it); its digest is made
     * only when asked, which the memory does only while it holds entries of that layout.
     */
    private final String legacyText;

    private String legacyEntry;

    DedupeKey(List<String> shares, String entry, String legacyText) {
        this.shares = List.copyOf(shares);
        this.entry = Objects.requireNonNull(entry);
        this.legacyText = legacyText;
    }

    /** The identity of this activity, to be looked up in the shares of the keys that verified it. */
    public static DedupeKey of(Activity a, Verification v) {
        String identity = fields(a.kind().name(), a.id(), a.state(), a.result(), a.project());
        // exactly what the old key began with
        return new DedupeKey(sharesOf(v), digest("activity\n" + identity), a.dedupeKey() + "|" + a.project());
    }

    /** An identity given as text, remembered in these shares: for tests and tools that have no activity. */
    public static DedupeKey of(String identity, List<String> shares) {
        return new DedupeKey(shares, digest("text\n" + identity), null);
    }

    /** Which shares a verification is remembered in: each key that verified it, or the unsigned share. */
    static List<String> sharesOf(Verification v) {
        if (v == null || v.status() != Verification.Status.VERIFIED || v.refs().isEmpty()) {
            return List.of(UNSIGNED);
        }
        return List.copyOf(new TreeSet<>(v.refs())); // a stable order: shares are created in it
    }

    /**
     * A key as versions up to this one wrote it in {@code dedupe.json}: {@code <id>|<state>|<project>|<keys>} (a health
     * notification: {@code health|<id>|<project>|<keys>}), where {@code <keys>} is the sorted references of the keys
     * that verified it, joined by commas, empty when unsigned. It is remembered in those keys' shares; its identity
     * has no result, so it is matched by {@link #legacyEntry()}. Null when it has no {@code |}.
     */
    static DedupeKey fromLegacy(String stored) {
        int cut = stored == null ? -1 : stored.lastIndexOf('|');
        if (cut < 0) {
            return null;
        }
        String refs = stored.substring(cut + 1);
        List<String> shares = refs.isEmpty() ? List.of(UNSIGNED) : Arrays.asList(refs.split(","));
        return new DedupeKey(shares, legacy(stored.substring(0, cut)), null);
    }

    private static String legacy(String oldText) {
        return LEGACY + digest("legacy\n" + oldText);
    }

    /**
     * Each field with its length, so that no two lists of fields give the same text. A missing field is the same as an
     * empty one (a state given as {@code ""} or not at all is no state either way), as it always was.
     */
    private static String fields(String... values) {
        StringBuilder b = new StringBuilder();
        for (String v : values) {
            String text = v == null ? "" : v;
            b.append(text.length()).append(':').append(text).append(';');
        }
        return b.toString();
    }

    /** One per thread: looking the algorithm up costs more than digesting a few dozen bytes. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    });

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    static String digest(String text) {
        byte[] d = SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8)); // digest() also resets it
        return BASE64URL.encodeToString(Arrays.copyOf(d, 16));
    }

    /** The references of the keys whose shares hold it (or {@link #UNSIGNED}). */
    public List<String> shares() {
        return shares;
    }

    /** The digest of the identity. */
    public String entry() {
        return entry;
    }

    /** The entry the same activity had in a file written before the result was part of the identity; or null. */
    public synchronized String legacyEntry() {
        if (legacyEntry == null && legacyText != null) {
            legacyEntry = legacy(legacyText);
        }
        return legacyEntry;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DedupeKey k
                && shares.equals(k.shares)
                && entry.equals(k.entry)
                && Objects.equals(legacyText, k.legacyText);
    }

    @Override
    public int hashCode() {
        return Objects.hash(shares, entry, legacyText);
    }

    @Override
    public String toString() {
        return entry + " in " + shares.size() + " share(s)";
    }
}
