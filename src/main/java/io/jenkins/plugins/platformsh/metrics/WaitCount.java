package io.jenkins.plugins.platformsh.metrics;

import java.util.function.IntSupplier;

/**
 * The hook for {@code platformsh.webhook.waits}: a step that waits for a delivery sets how to count its waits. Free
 * of the metrics plugin, so that such a step can call it whether or not metrics are installed.
 */
public final class WaitCount {

    private static volatile IntSupplier source = () -> 0;

    private WaitCount() {}

    /** Where the number of waiting steps comes from; {@code null} resets it to none. */
    public static void countWith(IntSupplier counter) {
        source = counter == null ? () -> 0 : counter;
    }

    static int current() {
        try {
            return source.getAsInt();
        } catch (RuntimeException e) {
            return 0; // a gauge must not throw into the metrics plugin's reporters
        }
    }
}
