package io.jenkins.plugins.platformsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import hudson.model.FreeStyleProject;
import io.jenkins.plugins.platformsh.delivery.wait.Wait;
import io.jenkins.plugins.platformsh.delivery.wait.WaitSpec;
import io.jenkins.plugins.platformsh.delivery.wait.Waits;
import io.jenkins.plugins.platformsh.trigger.PlatformshTrigger;
import io.jenkins.plugins.platformsh.trigger.PlatformshTriggers;
import java.time.Instant;
import java.util.Map;
import jenkins.metrics.api.Metrics;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** platformsh.webhook.* as the metrics plugin (and so the Prometheus plugin and the metrics servlet) reads them. */
@WithJenkins
class PlatformshMetricsTest {

    private static Object gauge(MetricRegistry registry, String name) {
        Gauge<?> g = registry.getGauges().get("platformsh.webhook." + name);
        assertNotNull(g, "no gauge platformsh.webhook." + name + " in " + registry.getNames());
        return g.getValue();
    }

    @Test
    void countersFollowTheDeliveries(JenkinsRule r) throws Exception {
        r.jenkins.setQuietPeriod(0);
        Deliveries.configureSharedKey("psh-key", Deliveries.SHARED_KEY);
        FreeStyleProject p = r.createFreeStyleProject("deploy-main");
        PlatformshTrigger t = new PlatformshTrigger();
        t.setEnvironments("main");
        p.addTrigger(t);
        t.start(p, true);
        MetricRegistry registry = Metrics.metricRegistry();
        assertEquals(1, gauge(registry, "triggers"));
        assertEquals(0L, gauge(registry, "deliveries.accepted"));

        String push = Deliveries.sample("push-main.json");
        Deliveries.postSigned(r, push, Deliveries.SHARED_KEY); // accepted, one build
        Deliveries.postSigned(r, push, Deliveries.SHARED_KEY); // duplicate
        Deliveries.postSigned(r, Deliveries.sample("push-feature.json"), Deliveries.SHARED_KEY); // ignored
        Deliveries.postSigned(r, push.replace("tstact0000001", "forged"), Deliveries.OTHER_KEY); // 403
        Deliveries.post(r, "platformsh-webhook/", push, Map.of()); // 401
        Deliveries.post(
                r,
                "platformsh-webhook/",
                push,
                Map.of(
                        "Content-Type",
                        "application/xml",
                        "X-JWS-Signature",
                        Deliveries.sign(Deliveries.SHARED_KEY, push))); // 415
        r.createWebClient().goTo("platformsh-webhook/", "text/plain"); // a probe
        r.waitUntilNoActivity();

        assertEquals(1L, gauge(registry, "deliveries.accepted"));
        assertEquals(1L, gauge(registry, "deliveries.duplicate"));
        assertEquals(1L, gauge(registry, "deliveries.ignored"));
        assertEquals(1L, gauge(registry, "deliveries.rejected.403"));
        assertEquals(1L, gauge(registry, "deliveries.rejected.401"));
        assertEquals(1L, gauge(registry, "deliveries.rejected.415"));
        assertEquals(0L, gauge(registry, "deliveries.rejected.413"));
        assertEquals(1L, gauge(registry, "deliveries.probe"));
        assertEquals(1L, gauge(registry, "builds.queued"));
        assertEquals(0L, gauge(registry, "replays"));
        Timer decision = registry.getTimers().get("platformsh.webhook.decision");
        assertNotNull(decision);
        assertEquals(7, decision.getCount(), "every request decided is timed, probes included");

        assertEquals(0, gauge(registry, "waits"));
        Waits waits = PlatformshTriggers.get().service().waits();
        waits.register(new Wait(
                "w1", WaitSpec.builder("some-job").environments("pr-1").build(), Instant.now(), "some-job #1"));
        waits.register(new Wait(
                "w2", WaitSpec.builder("some-job").environments("pr-2").build(), Instant.now(), "some-job #2"));
        assertEquals(2, gauge(registry, "waits"), "the steps waiting now, from the wait index itself");
        waits.remove("w1");
        assertEquals(1, gauge(registry, "waits"));
    }
}
