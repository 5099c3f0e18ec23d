package io.jenkins.plugins.platformsh.delivery.match;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The bucket values an index looks a delivery up under: shared by the trigger index and the wait index. */
public final class BucketKeys {

    /** The bucket of entries that filter on nothing (or on a glob) for a field. */
    public static final String ANY = "\u0000";

    /**
     * The most buckets one trigger or wait is filed in. Its exact names are combined (every project with every event
     * and every environment), so a few long lists would otherwise make millions of entries; past this bound the
     * longest lists are not indexed by name. Matching still checks every filter of every candidate: only the
     * pre-selection is coarser, never the result.
     */
    public static final int MAX_PER_ENTRY = 1000;

    private BucketKeys() {}

    /**
     * The keys to file one entry under, field by field: its exact names (null when a field is not indexed by name,
     * an empty filter or a glob), with the longest lists replaced by the wildcard bucket until their combinations are
     * at most {@link #MAX_PER_ENTRY}.
     */
    public static List<Set<String>> bounded(List<Set<String>> exact) {
        List<Set<String>> out = new ArrayList<>(exact);
        // An empty set would file the entry nowhere: it is never found by name, so it goes in the wildcard bucket.
        out.replaceAll(keys -> keys == null || keys.isEmpty() ? null : keys);
        while (combinations(out) > MAX_PER_ENTRY) {
            int longest = -1;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i) != null
                        && (longest < 0 || out.get(i).size() > out.get(longest).size())) {
                    longest = i;
                }
            }
            out.set(longest, null);
        }
        out.replaceAll(keys -> keys == null ? Set.of(ANY) : keys);
        return out;
    }

    /** The number of combinations, or anything above the bound once it is passed (never overflows). */
    private static long combinations(List<Set<String>> keys) {
        long n = 1;
        for (Set<String> k : keys) {
            n *= k == null ? 1 : k.size();
            if (n > MAX_PER_ENTRY) {
                return n;
            }
        }
        return n;
    }

    /** The delivery's own value, its alternative (a machine name) if different, then the wildcard bucket. */
    public static List<String> lookups(String value, String alternative) {
        List<String> out = new ArrayList<>(3);
        if (value != null) {
            out.add(value);
        }
        if (alternative != null && !alternative.equals(value)) {
            out.add(alternative);
        }
        out.add(ANY);
        return out;
    }
}
