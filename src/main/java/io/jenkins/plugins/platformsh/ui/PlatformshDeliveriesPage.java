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
 * Manage Jenkins → Platform.sh deliveries: the recent deliveries, each with the jobs it queued, the waits it released
 * and the other jobs counted by reason, and a form to dry-run a pasted payload. Each delivery has its own page
 * ({@link DeliveryPage}, {@code delivery/<id>/}) with every job's result and the replay form. Administrators only: job
 * names and delivery details are not for everyone.
 *
 * <p>The page stays small however many jobs have a trigger: per delivery at most {@link #JOBS_SHOWN} queued jobs and
 * {@link #WAITS_SHOWN} released waits, and the rest as counts.
 */
@Extension
public class PlatformshDeliveriesPage extends ManagementLink implements StaplerProxy {

    /** Matched jobs listed per delivery on this page; the rest are on the delivery's own page. */
    public static final int JOBS_SHOWN = 10;

    /** Released waits listed per delivery on this page. */
    public static final int WAITS_SHOWN = 10;

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

    /** The first {@link #JOBS_SHOWN} matched jobs, with what queuing did for each. */
    public List<MatchResult.TargetResult> matchedShown(DeliveryLog.Entry e) {
        List<MatchResult.TargetResult> m = e.matchedJobs();
        return m.size() > JOBS_SHOWN ? m.subList(0, JOBS_SHOWN) : m;
    }

    /** Matched jobs not listed here (a stored entry counts those it no longer lists): the delivery's page has them. */
    public int matchedNotShown(DeliveryLog.Entry e) {
        return Math.max(0, e.matchedCount() - JOBS_SHOWN);
    }

    /** The waits this delivery released, in words, at most {@link #WAITS_SHOWN}. */
    public List<String> releasedShown(DeliveryLog.Entry e) {
        List<String> w = getWaits().releasedBy(e.deliveryId());
        return w.size() > WAITS_SHOWN ? w.subList(0, WAITS_SHOWN) : w;
    }

    public int releasedNotShown(DeliveryLog.Entry e) {
        return Math.max(0, getWaits().releasedBy(e.deliveryId()).size() - WAITS_SHOWN);
    }

    /** "9,990 jobs: project 'q7r…' is not theirs · 8 jobs: …": the jobs it did not match, by reason. */
    public String summary(DeliveryLog.Entry e) {
        return ReasonCounts.text(e.summary());
    }

    /**
     * One delivery's own page, {@code delivery/<id>/}; null (404) once it has left the log. Reached through this page,
     * so {@link #getTarget()} has checked the permission, and the page checks again itself.
     */
    @CheckForNull
    public DeliveryPage getDelivery(String id) {
        DeliveryLog.Entry e = PlatformshTriggers.get().service().log().get(Util.fixNull(id));
        return e == null ? null : new DeliveryPage(e);
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

    /**
     * Replays a recorded delivery against the current triggers (the form is on the delivery's own page) and queues what it decides, as the endpoint does. The
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

        /** Jobs listed one by one on the result; the rest are counted by reason. */
        static final int DRY_RUN_JOBS = 100;

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

        /** The first {@link #DRY_RUN_JOBS} jobs in configuration order, each with its result. */
        public List<MatchResult.TargetResult> getTargets() {
            return outcome.match()
                    .map(m -> m.page("", 0, DRY_RUN_JOBS).results())
                    .orElse(List.of());
        }

        /** How many jobs had a trigger; more than {@link #getTargets()} lists when over {@link #DRY_RUN_JOBS}. */
        public int getJobCount() {
            return outcome.match().map(MatchResult::triggerCount).orElse(0);
        }

        public List<MatchResult.Match> getMatched() {
            return outcome.match().map(MatchResult::matched).orElse(List.of());
        }

        /** The jobs it would not build, by reason, with counts. */
        public String getSummary() {
            return outcome.match().map(m -> ReasonCounts.text(m.summary())).orElse("");
        }
    }
}
