package io.jenkins.plugins.platformsh.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricSet;
import com.codahale.metrics.Timer;
import hudson.Extension;
import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.trigger.PlatformshTriggers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jenkins.metrics.api.MetricProvider;

/**
 * {@code platformsh.webhook.*} in the metrics plugin (and from there the Prometheus plugin, JMX and the metrics
 * servlet). Optional: without the metrics plugin this class is not loaded and nothing changes.
 *
 * <p>Deliveries by outcome are read from the delivery log's counters (which also move a delivery that failed to
 * queue from "accepted" to "failed", and continue across restarts); the timer measures the decision, from the raw
 * request to the answer, not the queuing.
 */
@Extension(optional = true)
public class PlatformshMetrics extends MetricProvider {

    static final String PREFIX = "platformsh.webhook.";
    /** The statuses a refusal can have (docs/statuses.md); each is its own gauge. */
    static final int[] REJECTED_STATUSES = {400, 401, 403, 405, 413, 415, 503};

    private final Timer decisions = new Timer();

    @Override
    public MetricSet getMetricSet() {
        PlatformshTriggers triggers = PlatformshTriggers.get();
        DeliveryService service = triggers.serviceNotLoaded();
        service.observe((outcome, nanos) -> decisions.update(nanos, TimeUnit.NANOSECONDS));
        Map<String, Metric> m = new LinkedHashMap<>();
        for (String kind : new String[] {"accepted", "ignored", "duplicate", "failed", "probe"}) {
            m.put(PREFIX + "deliveries." + kind, counter(triggers, kind));
        }
        for (int status : REJECTED_STATUSES) {
            m.put(PREFIX + "deliveries.rejected." + status, counter(triggers, "rejected " + status));
        }
        m.put(PREFIX + "replays", counter(triggers, io.jenkins.plugins.platformsh.delivery.log.DeliveryLog.REPLAYED));
        m.put(PREFIX + "decision", decisions);
        m.put(PREFIX + "builds.queued", (Gauge<Long>) service::buildsQueued);
        m.put(PREFIX + "triggers", (Gauge<Integer>) () -> service.index().size());
        m.put(PREFIX + "waits", (Gauge<Integer>) () -> service.waits().waiting().size());
        return metrics(m);
    }

    /**
     * The counters are kept across restarts: the first read loads them (off the delivery path), so that a gauge never
     * shows 0 and then jumps to the stored total, which a rate() would read as a burst of the whole history.
     */
    private static Gauge<Long> counter(PlatformshTriggers triggers, String key) {
        return () -> triggers.service().log().counters().getOrDefault(key, 0L);
    }
}
