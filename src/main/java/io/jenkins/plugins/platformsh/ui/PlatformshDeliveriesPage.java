package io.jenkins.plugins.platformsh.ui;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.ManagementLink;
import hudson.security.Permission;
import io.jenkins.plugins.platformsh.config.PlatformshGlobalConfiguration;
import io.jenkins.plugins.platformsh.delivery.DeliveryService;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLabels;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.log.TimeText;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.delivery.outcome.Outcome;
import io.jenkins.plugins.platformsh.delivery.receive.DeliveryRequest;
import io.jenkins.plugins.platformsh.delivery.schedule.ScheduleResult;
import io.jenkins.plugins.platformsh.delivery.schedule.Variables;
import io.jenkins.plugins.platformsh.trigger.PlatformshKeys;
import io.jenkins.plugins.platformsh.trigger.PlatformshScheduler;
import io.jenkins.plugins.platformsh.trigger.PlatformshTriggers;
import io.jenkins.plugins.platformsh.trigger.QueuedBuild;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * Manage Jenkins → Platform.sh deliveries: the recent deliveries with, per job, why it was or was not triggered, and
 * a form to dry-run a pasted payload. Administrators only: job names and delivery details are not for everyone.
 */
@Extension
public class PlatformshDeliveriesPage extends ManagementLink implements StaplerProxy {

    @Override
    public String getIconFileName() {
        return "symbol-trigger";
    }

    @Override
    public String getDisplayName() {
        return "Platform.sh deliveries";
    }

    @Override
    public String getDescription() {
        return "Recent Platform.sh webhook deliveries, why each job was or was not triggered, and a dry run.";
    }

    @Override
    public String getUrlName() {
        return "platformsh-deliveries";
    }

    @NonNull
    @Override
    public Permission getRequiredPermission() {
        return Jenkins.ADMINISTER;
    }

    @NonNull
    @Override
    public Category getCategory() {
        return Category.TROUBLESHOOTING;
    }

    /** The link is hidden from others, but the URL is reachable: every request to this page checks. */
    @Override
    public Object getTarget() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return this;
    }

    /** The waiting steps, for waits.jelly. */
    public io.jenkins.plugins.platformsh.pipeline.PlatformshWaitRegistry getWaits() {
        return io.jenkins.plugins.platformsh.pipeline.PlatformshWaitRegistry.get();
    }

    public List<DeliveryLog.Entry> getEntries() {
        return PlatformshTriggers.get().service().log().newestFirst();
    }

    /** The latest requests refused before anything verified them; kept apart so that noise cannot evict deliveries. */
    public List<DeliveryLog.Entry> getRefused() {
        return PlatformshTriggers.get().service().log().refusedNewestFirst();
    }

    public int getRefusedSampleSize() {
        return DeliveryLog.REFUSED_SAMPLE_SIZE;
    }

    public Map<String, Long> getCounters() {
        return PlatformshTriggers.get().service().log().counters();
    }

    public int getTriggerCount() {
        return PlatformshTriggers.get().service().index().size();
    }

    /** The row's HTML id, which build pages link to. */
    public String anchor(DeliveryLog.Entry e) {
        return DeliveryLabels.anchor(e.deliveryId());
    }

    /** "3 min ago". */
    public String ago(DeliveryLog.Entry e) {
        return TimeText.ago(e.receivedAt(), Instant.now());
    }

    /** The exact time, shown on hover. */
    public String exactTime(DeliveryLog.Entry e) {
        return TimeText.exact(e.receivedAt());
    }

    /** Type and state, project and environment, activity id: only those the delivery had. */
    public List<String> activityLines(DeliveryLog.Entry e) {
        return DeliveryLabels.activity(e);
    }

    /** The job a delivery queued a build of and where that build is; null for a job it did not queue. */
    @CheckForNull
    public QueuedBuild queued(DeliveryLog.Entry e, String targetId) {
        return QueuedBuild.of(e, targetId);
    }

    /** Decides the pasted payload as if it had been verified, without recording or marking anything. */
    @RequirePOST
    public HttpResponse doDryRun(@QueryParameter String payload) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        byte[] body = Util.fixNull(payload).getBytes(StandardCharsets.UTF_8);
        DeliveryRequest request = DeliveryRequest.builder()
                .method("POST")
                .header("Content-Type", "application/json")
                .remoteAddress("dry run")
                .body(body)
                .build();
        PlatformshGlobalConfiguration config = PlatformshGlobalConfiguration.get();
        PlatformshTriggers triggers = PlatformshTriggers.get();
        Outcome outcome =
                triggers.service().dryRun(request, config.toSettings(), PlatformshKeys.resolve(config, triggers), true);
        return HttpResponses.forwardToView(new DryRun(outcome), "index.jelly");
    }

    /** Recorded deliveries whose redacted body is still kept, so that they can be replayed (replay.jelly). */
    public List<DeliveryLog.Entry> getReplayable() {
        return getEntries().stream().filter(DeliveryLog.Entry::replayable).toList();
    }

    /**
     * Replays a recorded delivery against the current triggers and queues what it decides, as the endpoint does. The
     * decision (what may be replayed, what is built) is {@code DeliveryService.replay}'s.
     */
    @RequirePOST
    public HttpResponse doReplay(@QueryParameter String delivery, @QueryParameter boolean buildAgain) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        PlatformshGlobalConfiguration config = PlatformshGlobalConfiguration.get();
        PlatformshTriggers triggers = PlatformshTriggers.get();
        DeliveryService service = triggers.service();
        Outcome outcome = service.replay(
                Util.fixEmptyAndTrim(delivery),
                config.toSettings(),
                PlatformshKeys.resolve(config, triggers),
                buildAgain,
                Jenkins.getAuthentication2().getName());
        if (!outcome.schedules().isEmpty()) {
            Map<String, ScheduleResult> results = new LinkedHashMap<>();
            try {
                PlatformshScheduler.scheduleAll(outcome, triggers, results);
            } finally {
                outcome = service.afterScheduling(outcome, results);
            }
        }
        triggers.stateChanged();
        return HttpResponses.forwardToView(new ReplayResult(outcome, delivery), "index.jelly");
    }

    /** What a replay did; only ever created by {@link #doReplay}, for an administrator. */
    public static final class ReplayResult {

        private final Outcome outcome;
        private final String original;

        ReplayResult(Outcome outcome, String original) {
            this.outcome = outcome;
            this.original = Util.fixNull(original);
        }

        public int getStatus() {
            return outcome.status();
        }

        public String getBody() {
            return outcome.body();
        }

        public String getOriginal() {
            return original;
        }

        /** The log entry of the replay; empty when it was refused. */
        public String getReplayId() {
            return outcome.deliveryId();
        }

        public List<String> getQueued() {
            return outcome.schedules().stream()
                    .map(io.jenkins.plugins.platformsh.delivery.schedule.Schedule::targetId)
                    .toList();
        }
    }

    /** The result page of a dry run; only ever created by {@link #doDryRun}, for an administrator. */
    public static final class DryRun {

        private final Outcome outcome;

        DryRun(Outcome outcome) {
            this.outcome = outcome;
        }

        public int getStatus() {
            return outcome.status();
        }

        public String getKind() {
            return outcome.kind().name().toLowerCase(java.util.Locale.ROOT);
        }

        public String getBody() {
            return outcome.body();
        }

        @CheckForNull
        public String getCauseText() {
            return outcome.schedules().isEmpty()
                    ? null
                    : outcome.schedules().get(0).causeText();
        }

        /** The variables a build would get; empty when the payload could not be read as an activity. */
        public Map<String, String> getVariables() {
            return outcome.activity().map(Variables::of).orElse(Map.of());
        }

        public List<MatchResult.TargetResult> getTargets() {
            // Every job, up to a page (MatchResult.MAX_PAGE): a dry run is one administrator's one-off question.
            return outcome.match()
                    .map(m -> m.page(null, 0, MatchResult.MAX_PAGE).results())
                    .orElse(List.of());
        }
    }
}
