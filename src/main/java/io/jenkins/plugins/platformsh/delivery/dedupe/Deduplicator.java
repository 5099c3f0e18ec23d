package io.jenkins.plugins.platformsh.delivery.dedupe;

import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p><b>Bounded in all.</b> At most {@code maxShares} shares: {@code maxShares - 1} shares of their own, and the last
 * one, the "others" share, for keys without one (where they can push out one another's entries, as every key could
 * before shares existed, but never those of a key with a share of its own). The shares of their own are
 * <em>reserved</em> for keys of the global configuration ({@link VerificationKey#globalRef}): such a key gets one
 * when it first verifies a delivery, taking it, if all are held, from the least recently used key resolved for a job
 * (a trigger's or a wait's), whose entries move to the "others" share as its oldest. A job's key gets a share only
 * while one is free, and never takes one from anyone. So no sequence of deliveries verified by jobs' keys, with or
 * without restarts, makes a key of the global configuration lose an entry (as long as there are fewer of them than
 * {@code maxShares}). After a restart, the shares go to the keys of the global configuration used most recently,
 * then to the other keys used most recently: each key's last use is a sequence number kept with its entries (see
 * {@link #oldestFirst}). The memory never holds more than {@code maxShares × shareCapacity} entries (by default 16 ×
 * 10,000 = 160,000), each a 22-character digest (in the "others" share, also the key's reference; entries read from
 * a file of the older layout have one more character).
 *
 * <p>Each call costs O(number of keys that verified the delivery): a look-up and an insertion in a hash map per key,
 * never a scan of the entries (a key of the global configuration taking a share scans the shares, and moves the
 * entries of the share it takes, once). All methods are atomic.
 */
public final class Deduplicator {

    /** Entries per share: as many as the whole memory held when it was shared, so one key loses nothing. */
    public static final int DEFAULT_SHARE_CAPACITY = 10_000;
    /** Shares in all, the "others" share included. */
    public static final int DEFAULT_MAX_SHARES = 16;
    /** A share's name is a key's reference (credentials id and job): longer ones in a file are not read back. */
    static final int MAX_SHARE_NAME = 4096;

    /**
     * One remembered identity, the share (key reference) it was remembered for, and when that key was last used (a
     * sequence number: only its order among keys means anything; 0 when unknown, as in files of older versions).
     */
    public record Remembered(String share, String entry, long used) {
        public Remembered(String share, String entry) {
            this(share, entry, 0);
        }
    }

    private final int shareCapacity;
    private final int maxShares;
    /** The shares of their own, by key reference. */
    private final Map<String, Map<String, Boolean>> shares = new LinkedHashMap<>();
    /** The share of keys without one of their own: entries are {@code <share>\n<entry>}. */
    private final Map<String, Boolean> others = newShare();
    /** How many entries each key has in {@link #others}: a key that has none is not looked for there. */
    private final Map<String, Integer> othersCount = new HashMap<>();
    /** When each key that has entries (in a share of its own or in the others') was last used. */
    private final Map<String, Long> lastUse = new HashMap<>();
    /** The sequence of uses. */
    private long uses;
    /** Bumped on every change, so that a writer knows whether there is anything new to store. */
    private final AtomicLong changes = new AtomicLong();
    /** Entries read from a file of the older layout still held: while there are none, they are not looked for. */
    private int legacyEntries;
    /** Told of every change as it happens (the state store's journal). */
    private volatile DedupeJournal journal = DedupeJournal.NONE;

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
        remember(key.shares(), key.entry());
        try {
            // Within the lock, so that a journal starting afresh (compaction) sees each change on one side of it.
            journal.remembered(key.shares(), key.entry());
        } catch (RuntimeException e) {
            // the journal reports its own failures; the answer never depends on it
        }
        return !seen;
    }

    private void remember(List<String> keyShares, String entry) {
        for (String share : keyShares) {
            Map<String, Boolean> own = shares.get(share);
            put(share, own != null ? own : claim(share), entry);
            lastUse.put(share, ++uses);
        }
        changes.incrementAndGet(); // a repeat moves its entry to the newest end: also a change of what is kept
    }

    /** Reports every later change to {@code j} ({@code null}: to nobody). */
    public void journalTo(DedupeJournal j) {
        journal = j == null ? DedupeJournal.NONE : j;
    }

    /**
     * Does again what {@link #firstTime} did before a restart, as {@link DedupeJournal#remembered} reported it, without
     * reporting it again. Shares or an entry that could not have been reported (edited by hand) are skipped.
     */
    public synchronized void rememberedBefore(List<String> keyShares, String entry) {
        List<String> valid = new ArrayList<>(keyShares.size());
        for (String share : keyShares) {
            if (readable(new Remembered(share, entry))) {
                valid.add(share);
            }
        }
        if (!valid.isEmpty()) {
            remember(valid, entry);
        }
    }

    /** Does again what {@link #forget} did before a restart, as {@link DedupeJournal#forgotten} reported it. */
    public synchronized void forgottenBefore(List<String> keyShares, List<String> entries) {
        boolean removed = false;
        for (String share : keyShares) {
            for (String entry : entries) {
                if (share != null && entry != null) {
                    removed |= remove(share, entry);
                }
            }
        }
        if (removed) {
            changes.incrementAndGet();
        }
    }

    /** Whether any of its keys remembers it, without remembering it (dry runs). */
    public synchronized boolean seen(DedupeKey key) {
        return contains(key);
    }

    /** Forgets it in every share, so that a retry of a delivery that could not be queued is accepted. */
    public synchronized void forget(DedupeKey key) {
        boolean removed = false;
        boolean legacy = legacyEntries > 0 && key.legacyEntry() != null;
        for (String share : key.shares()) {
            removed |= remove(share, key.entry());
            if (legacy) {
                removed |= remove(share, key.legacyEntry());
            }
        }
        if (removed) {
            changes.incrementAndGet();
            try {
                journal.forgotten(
                        key.shares(), legacy ? List.of(key.entry(), key.legacyEntry()) : List.of(key.entry()));
            } catch (RuntimeException e) {
                // as in firstTime
            }
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

    /** In its own share, or in the others' (where a key that got a share later may still have older entries). */
    private boolean has(String share, String entry) {
        Map<String, Boolean> own = shares.get(share);
        return (own != null && own.containsKey(entry))
                || (othersCount.containsKey(share) && others.containsKey(inOthers(share, entry)));
    }

    private boolean remove(String share, String entry) {
        boolean removed = false;
        Map<String, Boolean> own = shares.get(share);
        if (own != null) {
            removed = dropped(own.remove(entry) != null, entry);
            if (own.isEmpty()) {
                shares.remove(share); // nothing of it is left to protect: its place goes to the next key
            }
        }
        String stored = inOthers(share, entry);
        if (othersCount.containsKey(share) && others.remove(stored) != null) {
            droppedFromOthers(stored);
            removed = true;
        }
        unusedIfEmpty(share);
        return removed;
    }

    /**
     * A share of its own for a key that has none: a free one, or, for a key of the global configuration, the one of
     * the least recently used job's key. Null when it has to use the others' share.
     */
    private Map<String, Boolean> claim(String share) {
        if (shares.size() >= maxShares - 1) {
            if (!VerificationKey.globalRef(share)) {
                return null;
            }
            String victim = null;
            for (String held : shares.keySet()) {
                if (!VerificationKey.globalRef(held)
                        && (victim == null || lastUse.getOrDefault(held, 0L) < lastUse.getOrDefault(victim, 0L))) {
                    victim = held;
                }
            }
            if (victim == null) {
                return null; // every share is a global key's: first come, first served among them
            }
            demote(victim);
        }
        Map<String, Boolean> own = newShare();
        shares.put(share, own);
        return own;
    }

    /** Moves a key's share into the others', as its oldest entries (the others' newest are kept first). */
    private void demote(String share) {
        Map<String, Boolean> moved = shares.remove(share);
        List<String> stored = new ArrayList<>(moved.size() + others.size());
        moved.keySet().forEach(e -> stored.add(inOthers(share, e)));
        stored.addAll(others.keySet());
        for (String e : others.keySet()) {
            dropped(true, e);
        }
        for (String e : moved.keySet()) {
            dropped(true, e);
        }
        others.clear();
        othersCount.clear();
        for (String e : stored) {
            int cut = e.lastIndexOf('\n');
            put(e.substring(0, cut), null, e.substring(cut + 1));
        }
    }

    /** Remembers an entry in a key's own share, or, when {@code own} is null, in the others' share. */
    private void put(String share, Map<String, Boolean> own, String entry) {
        if (own != null) {
            if (own.put(entry, Boolean.TRUE) == null && isLegacy(entry)) {
                legacyEntries++;
            }
            if (own.size() > shareCapacity) {
                Iterator<String> oldest = own.keySet().iterator();
                dropped(true, oldest.next());
                oldest.remove(); // only ever the same share's oldest entry
            }
            return;
        }
        String stored = inOthers(share, entry);
        if (others.put(stored, Boolean.TRUE) == null) {
            othersCount.merge(share, 1, Integer::sum);
            if (isLegacy(stored)) {
                legacyEntries++;
            }
        }
        if (others.size() > shareCapacity) {
            Iterator<String> oldest = others.keySet().iterator();
            String gone = oldest.next();
            oldest.remove();
            droppedFromOthers(gone);
        }
    }

    private void droppedFromOthers(String stored) {
        dropped(true, stored);
        String share = stored.substring(0, stored.lastIndexOf('\n'));
        if (othersCount.merge(share, -1, Integer::sum) <= 0) {
            othersCount.remove(share);
            unusedIfEmpty(share);
        }
    }

    /** A key with no entry left anywhere is not remembered as used either: the map stays bounded by the entries. */
    private void unusedIfEmpty(String share) {
        if (!shares.containsKey(share) && !othersCount.containsKey(share)) {
            lastUse.remove(share);
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

    /**
     * Everything remembered, for the state file, each entry with its key's last use: the others' share oldest first,
     * then each share of its own, oldest first, the least recently used key's first.
     */
    public synchronized List<Remembered> oldestFirst() {
        List<Remembered> out = new ArrayList<>(size());
        for (String e : others.keySet()) {
            int cut = e.lastIndexOf('\n');
            String share = e.substring(0, cut);
            out.add(new Remembered(share, e.substring(cut + 1), lastUse.getOrDefault(share, 0L)));
        }
        List<String> names = new ArrayList<>(shares.keySet());
        names.sort(Comparator.comparingLong(name -> lastUse.getOrDefault(name, 0L)));
        for (String name : names) {
            long used = lastUse.getOrDefault(name, 0L);
            shares.get(name).keySet().forEach(e -> out.add(new Remembered(name, e, used)));
        }
        return out;
    }

    /**
     * Adds entries remembered before a restart (in {@link #oldestFirst} order), as older than every entry seen since.
     * Keys are ranked by last use: those used since start last (most recent), then by the {@code used} of the entries
     * read, then, where that is equal (files written before it was kept: 0), by the position of a key's newest entry.
     * The shares of their own go to the keys of the global configuration ranked most recent, then to the other keys
     * ranked most recent; each share keeps its newest entries up to its capacity. Entries that are not digests, or
     * with a share name that is empty or too long, are skipped: the file may have been edited by hand.
     */
    public synchronized void restore(List<Remembered> olderOldestFirst) {
        List<Remembered> all = new ArrayList<>(olderOldestFirst.size() + size());
        for (Remembered r : olderOldestFirst) {
            if (r != null && readable(r)) {
                all.add(r);
            }
        }
        int fromFile = all.size();
        all.addAll(oldestFirst());
        // Each key's rank: {used since start, last use, position of its newest entry}, compared in that order.
        Map<String, long[]> rank = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            Remembered r = all.get(i);
            long[] mine = {i < fromFile ? 0 : 1, r.used(), i};
            rank.merge(r.share(), mine, (a, b) -> RANK.compare(a, b) >= 0 ? a : b);
        }
        List<String> byUse = new ArrayList<>(rank.keySet());
        byUse.sort(Comparator.comparing(rank::get, RANK));
        shares.clear();
        others.clear();
        othersCount.clear();
        lastUse.clear();
        legacyEntries = 0;
        List<String> owners = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) { // the global configuration's keys first
            for (int i = byUse.size() - 1; i >= 0 && owners.size() < maxShares - 1; i--) {
                String name = byUse.get(i);
                if (VerificationKey.globalRef(name) == (pass == 0)) {
                    owners.add(name);
                }
            }
        }
        owners.forEach(name -> shares.put(name, newShare()));
        for (Remembered r : all) {
            put(r.share(), shares.get(r.share()), r.entry());
        }
        uses = 0;
        for (String name : byUse) { // renumbered, in the same order
            if (shares.containsKey(name) || othersCount.containsKey(name)) {
                lastUse.put(name, ++uses);
            }
        }
        changes.incrementAndGet();
    }

    private static final Comparator<long[]> RANK = (a, b) -> {
        for (int i = 0; i < a.length; i++) {
            int c = Long.compare(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

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
