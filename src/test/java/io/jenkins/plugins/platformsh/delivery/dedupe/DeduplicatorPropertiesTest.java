package io.jenkins.plugins.platformsh.delivery.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever the interleaving of deliveries verified by several keys: the memory never holds more than its bound, it
 * answers exactly as one bounded memory per key would (keys beyond the shares of their own sharing the last one), and
 * a delivery through one key never makes another key with a share of its own forget anything.
 */
class DeduplicatorPropertiesTest {

    private static final int KEYS = 7;
    private static final int ENTRIES = 12;

    /** One delivery: which key verified it, and which activity it is. */
    record Delivery(int key, int entry) {}

    @Provide
    Arbitrary<List<Delivery>> deliveries() {
        Arbitrary<Delivery> one = Combinators.combine(
                        // A skewed choice of key: most deliveries come through one key (a flood), some through others.
                        Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(6, Arbitraries.just(0)),
                                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0, KEYS - 1))),
                        Arbitraries.integers().between(0, ENTRIES - 1))
                .as(Delivery::new);
        return one.list().ofMaxSize(300);
    }

    private static String key(int k) {
        return "key-" + k + (global(k) ? "" : "\u0000folder/job-" + k); // global keys and jobs' own keys
    }

    private static boolean global(int k) {
        return k % 2 == 0;
    }

    private static DedupeKey delivery(Delivery d) {
        return DedupeKey.of("activity-" + d.entry(), List.of(key(d.key())));
    }

    @Property(tries = 300)
    void boundedAndNoKeyEvictsAnother(
            @ForAll("deliveries") List<Delivery> deliveries,
            @ForAll @IntRange(min = 1, max = 6) int capacity,
            @ForAll @IntRange(min = 2, max = 5) int maxShares) {
        Deduplicator d = new Deduplicator(capacity, maxShares);
        Model model = new Model(capacity, maxShares);
        for (Delivery delivery : deliveries) {
            // A global key's delivery may take a job key's share (its entries go with the others'); no one else's.
            Map<Integer, List<Integer>> othersBefore = global(delivery.key())
                    ? model.globalEntriesExcept(delivery.key())
                    : model.ownEntriesExcept(delivery.key());

            boolean first = d.firstTime(delivery(delivery));

            assertEquals(model.firstTime(delivery), first, () -> delivery + " after " + deliveries);
            assertTrue(d.size() <= d.capacity(), "within " + d.capacity() + ": " + d.size());
            assertTrue(d.ownShares() <= maxShares - 1);
            othersBefore.forEach((k, entries) -> {
                for (int e : entries) {
                    assertTrue(
                            d.seen(delivery(new Delivery(k, e))),
                            () -> "a delivery through " + key(delivery.key()) + " evicted " + e + " of " + key(k));
                }
            });
        }
        for (int k = 0; k < KEYS; k++) {
            for (int e = 0; e < ENTRIES; e++) {
                Delivery probe = new Delivery(k, e);
                assertEquals(model.seen(probe), d.seen(delivery(probe)), probe::toString);
            }
        }
    }

    @Property(tries = 200)
    void aRestartRemembersWhatEachKeyRemembered(
            @ForAll("deliveries") List<Delivery> deliveries, @ForAll @IntRange(min = 1, max = 6) int capacity) {
        Deduplicator d = new Deduplicator(capacity, KEYS + 1); // every key has a share of its own
        deliveries.forEach(x -> d.firstTime(delivery(x)));
        Deduplicator restarted = new Deduplicator(capacity, KEYS + 1);
        restarted.restore(d.oldestFirst());
        assertEquals(d.oldestFirst().size(), restarted.size());
        for (int k = 0; k < KEYS; k++) {
            for (int e = 0; e < ENTRIES; e++) {
                Delivery probe = new Delivery(k, e);
                assertEquals(d.seen(delivery(probe)), restarted.seen(delivery(probe)), probe::toString);
            }
        }
    }

    /** A step: a delivery through a global key or a job's key, or a restart (through the state file's list). */
    record Step(boolean restart, boolean global, int key, int entry) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> delivery = Combinators.combine(
                        Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, KEYS - 1),
                        Arbitraries.integers().between(0, ENTRIES - 1))
                .as((g, k, e) -> new Step(false, g, k, e));
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(1, Arbitraries.just(new Step(true, false, 0, 0))),
                        net.jqwik.api.Tuple.of(3, delivery.filter(x -> x.global())),
                        net.jqwik.api.Tuple.of(12, delivery.filter(x -> !x.global())))
                .list()
                .ofMaxSize(200);
    }

    /**
     * Whatever jobs' and waits' keys deliver, and however often Jenkins restarts: every key of the global
     * configuration (fewer of them than shares of their own) still remembers its latest entries, up to a share's
     * capacity.
     */
    @Property(tries = 300)
    void noJobKeyEverEvictsAGlobalKeysEntries(
            @ForAll("steps") List<Step> steps,
            @ForAll @IntRange(min = 1, max = 5) int capacity,
            @ForAll @IntRange(min = 2, max = 5) int maxShares) {
        int globalKeys = Math.min(maxShares - 1, 3);
        Deduplicator d = new Deduplicator(capacity, maxShares);
        Map<Integer, LinkedHashMap<Integer, Boolean>> expected = new HashMap<>();
        for (Step step : steps) {
            if (step.restart()) {
                Deduplicator after = new Deduplicator(capacity, maxShares);
                after.restore(d.oldestFirst());
                d = after;
            } else if (step.global()) {
                int g = step.key() % globalKeys;
                d.firstTime(DedupeKey.of("activity-" + step.entry(), List.of("global-" + g)));
                LinkedHashMap<Integer, Boolean> mine =
                        expected.computeIfAbsent(g, x -> new LinkedHashMap<>(16, 0.75f, true));
                mine.put(step.entry(), true);
                if (mine.size() > capacity) {
                    mine.remove(mine.keySet().iterator().next());
                }
            } else {
                d.firstTime(DedupeKey.of(
                        "activity-" + step.entry(), List.of("job-" + step.key() + "\u0000folder/job-" + step.key())));
            }
            Deduplicator now = d;
            expected.forEach((g, entries) -> {
                for (int e : entries.keySet()) {
                    assertTrue(
                            now.seen(DedupeKey.of("activity-" + e, List.of("global-" + g))),
                            () -> "global-" + g + " forgot " + e + " after " + step);
                }
            });
        }
    }

    /**
     * The same memory, written the obvious way: a bounded LRU set per key; shares of their own first come, first
     * served, except that a global key takes the share of the least recently used job key when none is free (its
     * entries go to the others' share, as its oldest).
     */
    private static final class Model {
        private final int capacity;
        private final int maxShares;
        private final Map<Integer, LinkedHashMap<Integer, Boolean>> own = new HashMap<>();
        private LinkedHashMap<List<Integer>, Boolean> others = new LinkedHashMap<>(16, 0.75f, true);
        private final Map<Integer, Integer> lastUse = new HashMap<>();
        private int uses;

        Model(int capacity, int maxShares) {
            this.capacity = capacity;
            this.maxShares = maxShares;
        }

        boolean seen(Delivery d) {
            LinkedHashMap<Integer, Boolean> s = own.get(d.key());
            return (s != null && s.containsKey(d.entry())) || others.containsKey(List.of(d.key(), d.entry()));
        }

        boolean firstTime(Delivery d) {
            boolean first = !seen(d);
            LinkedHashMap<Integer, Boolean> s = own.get(d.key());
            if (s == null && own.size() == maxShares - 1 && global(d.key())) {
                own.keySet().stream()
                        .filter(k -> !global(k))
                        .min((a, b) -> Integer.compare(lastUse.get(a), lastUse.get(b)))
                        .ifPresent(this::demote);
            }
            if (s == null && own.size() < maxShares - 1) {
                s = new LinkedHashMap<>(16, 0.75f, true);
                own.put(d.key(), s);
            }
            if (s != null) {
                s.put(d.entry(), true);
                trim(s.keySet().iterator(), s.size());
            } else {
                others.put(List.of(d.key(), d.entry()), true);
                trim(others.keySet().iterator(), others.size());
            }
            lastUse.put(d.key(), ++uses);
            return first;
        }

        private void demote(int key) {
            LinkedHashMap<List<Integer>, Boolean> merged = new LinkedHashMap<>(16, 0.75f, true);
            own.remove(key).keySet().forEach(e -> merged.put(List.of(key, e), true));
            others.keySet().forEach(e -> merged.put(e, true));
            while (merged.size() > capacity) {
                trim(merged.keySet().iterator(), merged.size());
            }
            others = merged;
        }

        private void trim(Iterator<?> oldest, int size) {
            if (size > capacity) {
                oldest.next();
                oldest.remove();
            }
        }

        /** What each other key with a share of its own remembers now. */
        Map<Integer, List<Integer>> ownEntriesExcept(int key) {
            Map<Integer, List<Integer>> out = new HashMap<>();
            own.forEach((k, s) -> {
                if (k != key) {
                    out.put(k, new ArrayList<>(s.keySet()));
                }
            });
            return out;
        }

        /** What each other global key with a share of its own remembers now. */
        Map<Integer, List<Integer>> globalEntriesExcept(int key) {
            Map<Integer, List<Integer>> out = ownEntriesExcept(key);
            out.keySet().removeIf(k -> !global(k));
            return out;
        }
    }
}
