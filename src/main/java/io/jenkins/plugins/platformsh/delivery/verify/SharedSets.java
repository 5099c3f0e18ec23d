package io.jenkins.plugins.platformsh.delivery.verify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One instance for equal large sets of key ids and refs. When thousands of jobs name one credentials id, every
 * delivery it verifies carries a set of thousands of refs, and the log holds hundreds of deliveries: sharing the set
 * keeps that memory per set of keys, not per delivery. Only the last few distinct sets are remembered.
 */
final class SharedSets {

    /** Sets this small are cheaper to copy than to look up. */
    static final int SHARED_FROM = 16;

    private static final int REMEMBERED = 8;

    private static final Map<Set<String>, Set<String>> LAST = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Set<String>, Set<String>> eldest) {
            return size() > REMEMBERED;
        }
    };

    private SharedSets() {}

    static Set<String> of(Set<String> values) {
        if (values.size() < SHARED_FROM) {
            return Set.copyOf(values);
        }
        synchronized (LAST) {
            Set<String> known = LAST.get(values);
            if (known != null) {
                return known;
            }
        }
        Set<String> copy = Set.copyOf(values);
        synchronized (LAST) {
            Set<String> raced = LAST.putIfAbsent(copy, copy);
            return raced == null ? copy : raced;
        }
    }
}
