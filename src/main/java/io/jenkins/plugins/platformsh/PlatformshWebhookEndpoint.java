package io.jenkins.plugins.platformsh;

import hudson.Extension;
import hudson.model.UnprotectedRootAction;
import io.jenkins.plugins.platformsh.config.PlatformshGlobalConfiguration;
import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.pipeline.PlatformshWaitRegistry;
import io.jenkins.plugins.platformsh.trigger.PlatformshKeys;
import io.jenkins.plugins.platformsh.trigger.PlatformshScheduler;
import io.jenkins.plugins.platformsh.trigger.PlatformshTriggers;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

/**
 * {@code POST /platformsh-webhook/}: where Platform.sh sends activities. A {@code GET} or {@code HEAD} (someone
 * checking the URL in a browser) is told in one line what this is. Unprotected, because the sender is
 * anonymous; the delivery package verifies the signature before anything else, and only then matches triggers.
 * Everything after the raw request is decided there; this class only translates HTTP and queues builds.
 */
@Extension
public class PlatformshWebhookEndpoint implements UnprotectedRootAction {

    public static final String URL_NAME = "platformsh-webhook";

    private static final Logger LOGGER = Logger.getLogger(PlatformshWebhookEndpoint.class.getName());

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    public void doIndex(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        Outcome outcome;
        try {
            outcome = handle(req);
        } catch (RuntimeException e) {
            // Our fault, not the sender's, and nothing was queued: 503 asks for a retry. No stack trace in the answer.
            LOGGER.log(Level.WARNING, "Platform.sh delivery failed before anything was queued", e);
            respond(req, rsp, 503, "not queued: Jenkins could not process the delivery, retry later");
            return;
        } finally {
            PlatformshTriggers.get().stateChanged(); // written to disk later, by another thread
        }
        respond(req, rsp, outcome.status(), outcome.body());
    }

    private static Outcome handle(StaplerRequest2 req) throws IOException {
        PlatformshGlobalConfiguration config = PlatformshGlobalConfiguration.get();
        PlatformshTriggers triggers = PlatformshTriggers.get();
        DeliveryService service = triggers.service();
        // Keys are asked for only by a request that passed the method, media type and size checks, and come from the
        // cache: resolved once per change of what names them, never per request.
        Outcome outcome = service.decide(
                toDeliveryRequest(req), config.toSettings(), () -> PlatformshKeys.keys(config, triggers));
        if (!outcome.releases().isEmpty()) {
            PlatformshWaitRegistry.get().complete(outcome.releases()); // never throws
        }
        if (outcome.schedules().isEmpty()) {
            return outcome;
        }
        Map<String, ScheduleResult> results = new LinkedHashMap<>();
        try {
            PlatformshScheduler.scheduleAll(outcome, triggers, results);
        } finally {
            // Whatever stopped the loop, what was queued is recorded, and targets without a result count as failed:
            // a delivery with nothing queued is forgotten as seen, so the sender's retry is not a "duplicate".
            try {
                outcome = service.afterScheduling(outcome, results);
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "Could not record the scheduling of a Platform.sh delivery", e);
            }
        }
        return outcome;
    }

    /** The raw request; the body is handed over unread so that the size limit applies while it is read. */
    static DeliveryRequest toDeliveryRequest(StaplerRequest2 req) throws IOException {
        DeliveryRequest.Builder b = DeliveryRequest.builder()
                .method(req.getMethod())
                .remoteAddress(req.getRemoteAddr())
                .contentLength(req.getContentLengthLong());
        for (String name : Collections.list(req.getHeaderNames())) {
            for (String value : Collections.list(req.getHeaders(name))) {
                b.header(name, value);
            }
        }
        // Parsed from the query string only: getParameter() could consume a form-encoded body before it is verified.
        String query = req.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                try {
                    b.query(
                            URLDecoder.decode(name, StandardCharsets.UTF_8),
                            URLDecoder.decode(value, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // A malformed escape: that parameter is ignored.
                }
            }
        }
        return b.body(req.getInputStream()).build();
    }

    private static void respond(StaplerRequest2 req, StaplerResponse2 rsp, int status, String body) throws IOException {
        rsp.setStatus(status);
        if (status == 405) {
            rsp.setHeader("Allow", "POST, GET, HEAD");
        }
        rsp.setContentType("text/plain;charset=UTF-8");
        rsp.setHeader("X-Content-Type-Options", "nosniff");
        if (status >= 400) {
            // A refusal may leave the body unread (401, 413, 415 are decided before reading it): the connection cannot
            // carry another request, and saying so keeps a client from reusing it.
            rsp.setHeader("Connection", "close");
        }
        byte[] bytes = (body + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        rsp.setContentLength(bytes.length);
        if ("HEAD".equals(req.getMethod())) {
            return; // the same headers as a GET, and no body
        }
        rsp.getOutputStream().write(bytes);
    }
}
