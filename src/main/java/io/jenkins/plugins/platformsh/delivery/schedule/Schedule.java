package io.jenkins.plugins.platformsh.delivery.schedule;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import io.jenkins.plugins.platformsh.delivery.match.Coalesce;
import io.jenkins.plugins.platformsh.delivery.match.TriggerSpec;
import java.util.Map;
import java.util.function.Supplier;

/** One build to queue: the job, and everything the build carries from the delivery. */
public final class Schedule {

    private final String targetId;
    private final TriggerSpec spec;
    private final Map<String, String> variables;
    private final String causeText;
    private final String causeHtml;
    private final String coalesceKey;
    private final Supplier<String> redactedPayload;
    private final Supplier<ActivityRecord> record;
    private final Activity activity;

    public Schedule(
            String targetId,
            TriggerSpec spec,
            Map<String, String> variables,
            String causeText,
            String causeHtml,
            String coalesceKey,
            Supplier<String> redactedPayload,
            Supplier<ActivityRecord> record,
            Activity activity) {
        this.targetId = targetId;
        this.spec = spec;
        this.variables = variables;
        this.causeText = causeText;
        this.causeHtml = causeHtml;
        this.coalesceKey = coalesceKey;
        this.redactedPayload = redactedPayload;
        this.record = record;
        this.activity = activity;
    }

    /** The job's full name. */
    public String targetId() {
        return targetId;
    }

    /** The trigger that matched. */
    public TriggerSpec spec() {
        return spec;
    }

    /** The PLATFORMSH_* variables, in documentation order; unmodifiable. */
    public Map<String, String> variables() {
        return variables;
    }

    /** The one-line cause, plain text. */
    public String causeText() {
        return causeText;
    }

    /** The same, HTML-escaped. */
    public String causeHtml() {
        return causeHtml;
    }

    /** Project and environment, for {@link Coalesce#LATEST_PER_ENVIRONMENT}; null when the activity lacks either. */
    public String coalesceKey() {
        return coalesceKey;
    }

    /**
     * Whether this build, once queued, may cancel a queued build of its job that carries {@code queuedCoalesceKey}
     * and {@code queuedVariables} (see {@link Coalesce#mayCancel}).
     */
    public boolean mayCancel(String queuedCoalesceKey, Map<String, String> queuedVariables) {
        return Coalesce.mayCancel(
                coalesceKey,
                activity.createdAt(),
                queuedCoalesceKey,
                queuedVariables == null ? null : queuedVariables.get(Variables.CREATED_AT));
    }

    /**
     * The body as JSON text with secrets removed and {@code log} dropped. Made on first use, once per delivery
     * (shared by its schedules), so that the decision itself does not pay for a copy of the body.
     */
    public String redactedPayload() {
        return redactedPayload.get();
    }

    /**
     * What the build keeps for the {@code platformshActivity()} step: one bounded, compressed string, made once per
     * delivery and shared by its schedules.
     */
    public ActivityRecord record() {
        return record.get();
    }

    public Activity activity() {
        return activity;
    }

    @Override
    public String toString() {
        return "Schedule[" + targetId + ", " + causeText + "]";
    }

    /** Computes a value once, on first use, for every thread. */
    public static final class Once<T> implements Supplier<T> {
        private Supplier<T> source;
        private volatile T value;

        public Once(Supplier<T> source) {
            this.source = source;
        }

        @Override
        public T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    if (value == null) {
                        value = source.get();
                        source = null; // let the body go
                    }
                    v = value;
                }
            }
            return v;
        }
    }
}
