package io.jenkins.plugins.platformsh.delivery.match;

import java.util.ArrayList;
import java.util.List;

/** The bucket values an index looks a delivery up under: shared by the trigger index and the wait index. */
public final class BucketKeys {

    /** The bucket of entries that filter on nothing (or on a glob) for a field. */
    public static final String ANY = "\u0000";

    private BucketKeys() {}

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
