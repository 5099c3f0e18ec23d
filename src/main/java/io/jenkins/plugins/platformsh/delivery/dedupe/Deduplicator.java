package io.jenkins.plugins.platformsh.delivery.dedupe;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers the deliveries recently received ({@link DedupeKey}), so that a delivery sent again is answered
 * "duplicate" instead of building twice.
 *
 * <p><b>One bounded share per verifying key.</b> What a key verified is remembered in that key's own share (unsigned
 * deliveries in one share of their own); each share keeps its latest {@code shareCapacity} entries and forgets its
 * own oldest beyond that. So a holder of one key, flooding the endpoint with correctly signed deliveries, only ever
 * pushes out what that same key verified: the memory of every other key's deliveries stays as it was. (With one
 * memory shared by all keys, 10,050 deliveries signed by a job's own key were enough to make another project's
 * delivery build again.) A share per key rather than per project because a job's own key is not limited to any
 * project: a share per project would let it flood every project's.
 *
 * <p><b>Bounded in all.</b> At most {@code maxShares} shares: the first {@code maxShares - 1} keys to verify a delivery
 * get a share of their own, and keys beyond them share the last one, the "others" share (where they can push out one
 * another's entries, as every key could before shares existed, but never those of a key with a share of its own). A
 * share is never taken from a key while Jenkins runs (that would evict its entries); after a restart the shares go to
 * the keys that used them most recently. The memory therefore never holds more than {@code maxShares ×
 * shareCapacity} entries (by default 16 × 10,000 = 160,000), each a 22-character digest (in the "others" share, also
 * the key's reference; entries read from a file of the older layout have one more character).
 *
 * <p>Each call costs O(number of keys that verified the delivery): a look-up and an insertion in a hash map per key,
 * never a scan of the shares. All methods are atomic.
 */
public final class Deduplicator {

    /** Entries per share: as many as the whole memory held when it was shared, so one key loses nothing. */
    public static final int DEFAULT_SHARE_CAPACITY = 10_000;
    /** Shares in all, the "others" share included. */
    public static final int DEFAULT_MAX_SHARES = 16;
    /** A share's name is a key's reference (credentials id and job): longer ones in a file are not read back. */
    static final int MAX_SHARE_NAME = 4096;

    /** One remembered identity, and the share (key reference) it was remembered for. */
    public record Remembered(String share, String entry) {}

    private final int shareCapacity;
    private final int maxShares;
    /** The shares of their own, least recently used first (moved to the end when used). */
    private final Map<String, Map<String, Boolean>> shares = new LinkedHashMap<>();
    /** The share of keys without one of their own: entries are {@code <share>\n<entry>}. */
    private final Map<String, Boolean> others = newShare();
    /** Bumped on every change, so that a writer knows whether there is anything new to store. */
    private final AtomicLong changes = new AtomicLong();
    /** Entries read from a file of the older layout still held: while there are none, they are not looked for. */
    private int legacyEntries;

    public Deduplicator() {
        this(DEFAULT_SHARE_CAPACITY, DEFAULT_MAX_SHARES);
    }

    public Deduplicator(int shareCapacity) {
        this(shareCapacity, DEFAULT_MAX_SHARES);
    }

    public Deduplicator(int shareCapacity, int maxShares) {
        if (shareCapacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        if (maxShares < 2) {
            throw new IllegalArgumentException("at least one share of its own and the others' share");
        }
        this.shareCapacity = shareCapacity;
        this.maxShares = maxShares;
    }

    private static Map<String, Boolean> newShare() {
        return new LinkedHashMap<>(16, 0.75f, true); // access order: a repeat moves to the newest end
    }

    /**
     * True the first time: when none of the keys that verified it remembers it. Either way, every one of them
     * remembers it now as its newest entry, so that it stays a duplicate while any of them verifies it.
     */
    public synchronized boolean firstTime(DedupeKey key) {
        boolean seen = contains(key);
        for (String share : key.shares()) {
            put(share, key.entry(), true);
        }
        changes.incrementAndGet(); // a repeat moves its entry to the newest end: also a change of what is kept
        return !seen;
    }

    /** Whether any of its keys remembers it, without remembering it (dry runs). */
    public synchronized boolean seen(DedupeKey key) {
        return contains(key);
    }

    /** Forgets it in every share, so that a retry of a delivery that could not be queued is accepted. */
    public synchronized void forget(DedupeKey key) {
        boolean removed = false;
        for (String share : key.shares()) {
            removed |= remove(share, key.entry());
            if (legacyEntries > 0 && key.legacyEntry() != null) {
                removed |= remove(share, key.legacyEntry());
            }
        }
        if (removed) {
            changes.incrementAndGet();
        }
    }

    private boolean contains(DedupeKey key) {
        for (String share : key.shares()) {
            if (has(share, key.entry())
                    || (legacyEntries > 0 && key.legacyEntry() != null && has(share, key.legacyEntry()))) {
                return true;
            }
        }
        return false;
    }

    private boolean has(String share, String entry) {
        Map<String, Boolean> own = shares.get(share);
        return own != null ? own.containsKey(entry) : others.containsKey(inOthers(share, entry));
    }

    private boolean remove(String share, String entry) {
        Map<String, Boolean> own = shares.get(share);
        if (own == null) {
            return dropped(others.remove(inOthers(share, entry)) != null, entry);
        }
        boolean removed = dropped(own.remove(entry) != null, entry);
        if (own.isEmpty()) {
            shares.remove(share); // nothing of it is left to protect: its place goes to the next key
        }
        return removed;
    }

    /** Remembers an entry, giving its key a share of its own while there is room. */
    private void put(String share, String entry, boolean touch) {
        Map<String, Boolean> own = touch ? shares.remove(share) : shares.get(share);
        if (own == null && shares.size() < maxShares - 1) {
            own = newShare();
        }
        if (own != null && (touch || !shares.containsKey(share))) {
            shares.put(share, own); // (re)inserted at the most recently used end
        }
        Map<String, Boolean> target = own != null ? own : others;
        if (target.put(own != null ? entry : inOthers(share, entry), Boolean.TRUE) == null && isLegacy(entry)) {
            legacyEntries++;
        }
        if (target.size() > shareCapacity) {
            Iterator<String> oldest = target.keySet().iterator();
            dropped(true, oldest.next());
            oldest.remove(); // only ever the same share's oldest entry
        }
    }

    /** Counts a removed entry out of the legacy ones; returns {@code removed}. */
    private boolean dropped(boolean removed, String stored) {
        if (removed && isLegacy(stored)) {
            legacyEntries--;
        }
        return removed;
    }

    /** Whether an entry (or an entry of the others' share, which ends with one) is of the older layout. */
    private static boolean isLegacy(String stored) {
        int at = stored.length() - DedupeKey.DIGEST_CHARS - 1;
        return at >= 0 && stored.charAt(at) == DedupeKey.LEGACY;
    }

    private static String inOthers(String share, String entry) {
        return share + '\n' + entry;
    }

    /** Everything remembered, for the state file: the others' share oldest first, then each share, oldest first. */
    public synchronized List<Remembered> oldestFirst() {
        List<Remembered> out = new ArrayList<>(size());
        for (String e : others.keySet()) {
            int cut = e.lastIndexOf('\n');
            out.add(new Remembered(e.substring(0, cut), e.substring(cut + 1)));
        }
        shares.forEach((name, entries) -> entries.keySet().forEach(e -> out.add(new Remembered(name, e))));
        return out;
    }

    /**
     * Adds entries remembered before a restart (in {@link #oldestFirst} order), as older than every entry seen since.
     * The shares of their own go to the keys used most recently (those seen since start first); each share keeps its
     * newest entries up to its capacity. Entries that are not digests, or with a share name that is empty or too
     * long, are skipped: the file may have been edited by hand.
     */
    public synchronized void restore(List<Remembered> olderOldestFirst) {
        List<Remembered> all = new ArrayList<>(olderOldestFirst.size() + size());
        for (Remembered r : olderOldestFirst) {
            if (r != null && readable(r)) {
                all.add(r);
            }
        }
        all.addAll(oldestFirst());
        // The most recently used keys (the newest entries) get the shares of their own.
        Set<String> owners = new LinkedHashSet<>();
        for (int i = all.size() - 1; i >= 0 && owners.size() < maxShares - 1; i--) {
            owners.add(all.get(i).share());
        }
        shares.clear();
        others.clear();
        legacyEntries = 0;
        // Created in the order of their last use, so that the least recently used stays first.
        Set<String> order = new LinkedHashSet<>();
        for (Remembered r : all) {
            if (owners.contains(r.share())) {
                order.remove(r.share());
                order.add(r.share());
            }
        }
        order.forEach(name -> shares.put(name, newShare()));
        for (Remembered r : all) {
            put(r.share(), r.entry(), false);
        }
        changes.incrementAndGet();
    }

    /**
     * The keys of a {@code dedupe.json} written before shares existed (oldest first), as entries of the shares of the
     * keys that verified them (see {@link DedupeKey#fromLegacy}); a text without its list of keys is skipped.
     */
    public static List<Remembered> legacy(List<String> oldKeysOldestFirst) {
        List<Remembered> out = new ArrayList<>(oldKeysOldestFirst.size());
        for (String old : oldKeysOldestFirst) {
            DedupeKey k = DedupeKey.fromLegacy(old);
            if (k != null) {
                k.shares().forEach(share -> out.add(new Remembered(share, k.entry())));
            }
        }
        return out;
    }

    private static boolean readable(Remembered r) {
        return r.share() != null
                && !r.share().isEmpty()
                && r.share().length() <= MAX_SHARE_NAME
                && r.share().indexOf('\n') < 0
                && r.entry() != null
                && digest(
                        r.entry().length() == DedupeKey.DIGEST_CHARS + 1 && isLegacy(r.entry())
                                ? r.entry().substring(1)
                                : r.entry());
    }

    private static boolean digest(String s) {
        return s.length() == DedupeKey.DIGEST_CHARS && s.chars().allMatch(Deduplicator::base64Url);
    }

    private static boolean base64Url(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /** How many changes so far; only its movement means anything. */
    public long changes() {
        return changes.get();
    }

    /** Entries remembered in all (an entry remembered for two keys counts twice). */
    public synchronized int size() {
        int n = others.size();
        for (Map<String, Boolean> s : shares.values()) {
            n += s.size();
        }
        return n;
    }

    /** Entries one share keeps. */
    public int shareCapacity() {
        return shareCapacity;
    }

    /** Shares in all, the others' share included. */
    public int maxShares() {
        return maxShares;
    }

    /** The most entries the memory ever holds: {@code maxShares × shareCapacity}. */
    public long capacity() {
        return (long) maxShares * shareCapacity;
    }

    /** How many keys have a share of their own now. */
    public synchronized int ownShares() {
        return shares.size();
    }
}
