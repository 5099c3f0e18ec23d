package io.jenkins.plugins.platformsh.delivery.wait;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.match.BucketKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The waiting steps, bucketed by project and environment: a delivery looks only at the waits that name its project
 * and environment (or any of them), so that many waits for other environments cost it nothing. Not thread-safe:
 * {@link Waits} guards it.
 */
final class WaitIndex {

    private final Map<String, Wait> byId = new LinkedHashMap<>();
    private final Map<String, Set<String>> buckets = new HashMap<>();
    private long examined;

    void put(Wait w) {
        remove(w.id());
        byId.put(w.id(), w);
        for (String key : keys(w.spec())) {
            buckets.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(w.id());
        }
    }

    Wait remove(String id) {
        Wait w = byId.remove(id);
        if (w != null) {
            for (String key : keys(w.spec())) {
                Set<String> ids = buckets.get(key);
                if (ids != null && ids.remove(id) && ids.isEmpty()) {
                    buckets.remove(key);
                }
            }
        }
        return w;
    }

    Wait get(String id) {
        return byId.get(id);
    }

    List<Wait> all() {
        return new ArrayList<>(byId.values());
    }

    int size() {
        return byId.size();
    }

    /** The waits that could match the activity, in registration order; each one examined is counted. */
    List<Wait> candidates(Activity a) {
        Set<String> ids = new LinkedHashSet<>();
        for (String p : BucketKeys.lookups(a.project(), null)) {
            for (String env : BucketKeys.lookups(a.environment(), a.machineName())) {
                Set<String> hit = buckets.get(key(p, env));
                if (hit != null) {
                    ids.addAll(hit);
                }
            }
        }
        List<Wait> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(byId.get(id));
        }
        examined += out.size();
        return out;
    }

    /** How many candidates deliveries have examined so far: what the structural cost test counts. */
    long examined() {
        return examined;
    }

    /** How many bucket entries the waits make, all together: at most {@link BucketKeys#MAX_PER_ENTRY} per wait. */
    long bucketEntries() {
        long n = 0;
        for (Set<String> ids : buckets.values()) {
            n += ids.size();
        }
        return n;
    }

    private static List<String> keys(WaitSpec s) {
        List<Set<String>> keys = BucketKeys.bounded(
                Arrays.asList(s.filter().indexableProjects(), s.filter().indexableEnvironments()));
        List<String> out = new ArrayList<>();
        for (String p : keys.get(0)) {
            for (String env : keys.get(1)) {
                out.add(key(p, env));
            }
        }
        return out;
    }

    private static String key(String project, String environment) {
        return project + '\u0001' + environment;
    }
}
