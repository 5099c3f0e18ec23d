package io.jenkins.plugins.platformsh.ui;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import hudson.model.Item;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLabels;
import io.jenkins.plugins.platformsh.delivery.log.DeliveryLog;
import io.jenkins.plugins.platformsh.delivery.log.TimeText;
import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import io.jenkins.plugins.platformsh.pipeline.PlatformshWaitRegistry;
import io.jenkins.plugins.platformsh.trigger.QueuedBuild;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.Stapler;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * One delivery's own page, {@code /manage/platformsh-deliveries/delivery/<id>/}: the answer, the verification, the
 * redacted payload, the builds, the waits released, every job's result (filtered by name with {@code ?q=}, 50 a page
 * from {@code ?start=}) and the replay form. Administrators only, checked on every request.
 */
public final class DeliveryPage implements StaplerProxy {

    /** Jobs per page of the table. */
    public static final int PAGE_SIZE = 50;

    /** Matched jobs listed under "Builds"; a delivery matching more lists the rest in the table only. */
    public static final int BUILDS_SHOWN = 200;

    /** The longest name filter taken from {@code ?q=}; a longer one is cut. */
    static final int MAX_FILTER = 200;

    private final DeliveryLog.Entry entry;

    DeliveryPage(DeliveryLog.Entry entry) {
        this.entry = entry;
    }

    @Override
    public Object getTarget() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return this;
    }

    public DeliveryLog.Entry getEntry() {
        return entry;
    }

    public String getId() {
        return entry.deliveryId();
    }

    public String getDisplayName() {
        return "Platform.sh delivery " + entry.deliveryId();
    }

    /** Where the delivery's row is on the deliveries page. */
    public String getAnchor() {
        return DeliveryLabels.anchor(entry.deliveryId());
    }

    public String getAgo() {
        return TimeText.ago(entry.receivedAt(), Instant.now());
    }

    public String getExactTime() {
        return TimeText.exact(entry.receivedAt());
    }

    public List<String> getActivityLines() {
        return DeliveryLabels.activity(entry);
    }

    /** The redacted body as kept for replay; null when none is kept (unsigned, refused, or over the budget). */
    @CheckForNull
    public String getBody() {
        return entry.body();
    }

    public boolean isReplayable() {
        return entry.replayable();
    }

    /** The matched jobs, at most {@link #BUILDS_SHOWN}, each with what queuing did. */
    public List<MatchResult.TargetResult> getBuilds() {
        List<MatchResult.TargetResult> m = entry.matchedJobs();
        return m.size() > BUILDS_SHOWN ? m.subList(0, BUILDS_SHOWN) : m;
    }

    /** Matched jobs not listed under "Builds", including those a stored entry no longer lists. */
    public int getBuildsNotShown() {
        return Math.max(0, entry.matchedCount() - getBuilds().size());
    }

    /** The job's build this delivery queued, and where it is; null for a job it did not queue. */
    @CheckForNull
    public QueuedBuild queued(String targetId) {
        return QueuedBuild.of(entry, targetId);
    }

    /** A job's page, relative to the root, for its name in the table; null when it is gone or hidden from the user. */
    @CheckForNull
    public String jobUrl(String targetId) {
        Item item = Jenkins.get().getItemByFullName(targetId);
        return item == null ? null : item.getUrl();
    }

    public List<String> getReleased() {
        return PlatformshWaitRegistry.get().releasedBy(entry.deliveryId());
    }

    public String getSummary() {
        return ReasonCounts.text(entry.summary());
    }

    /** The page of the jobs table this request asks for, from {@code ?q=} and {@code ?start=}. */
    public Jobs getJobs() {
        StaplerRequest2 req = Stapler.getCurrentRequest2();
        String q = req == null ? "" : req.getParameter("q");
        String start = req == null ? null : req.getParameter("start");
        return jobs(q, start);
    }

    Jobs jobs(String q, String start) {
        String filter = Util.fixNull(q).trim();
        if (filter.length() > MAX_FILTER) {
            filter = filter.substring(0, MAX_FILTER);
        }
        int offset = parseStart(start);
        MatchResult.JobPage page = entry.jobs(filter, offset, PAGE_SIZE);
        if (offset > 0 && offset >= page.total()) {
            // Past the end (the filter narrowed, or a stale link): the last page instead of an empty one.
            offset = page.total() == 0 ? 0 : (page.total() - 1) / PAGE_SIZE * PAGE_SIZE;
            page = entry.jobs(filter, offset, PAGE_SIZE);
        }
        return new Jobs(filter, offset, page);
    }

    private static int parseStart(String start) {
        if (start == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(start.trim()));
        } catch (NumberFormatException e) {
            return 0; // not a number: the first page, not an error page
        }
    }

    /** One page of the jobs table, and the links to its neighbours. */
    public static final class Jobs {
        private final String filter;
        private final int start;
        private final MatchResult.JobPage page;

        Jobs(String filter, int start, MatchResult.JobPage page) {
            this.filter = filter;
            this.start = start;
            this.page = page;
        }

        public String getFilter() {
            return filter;
        }

        public int getTotal() {
            return page.total();
        }

        public List<MatchResult.TargetResult> getResults() {
            return page.results();
        }

        /** The first row's number, from 1; 0 when the page is empty. */
        public int getFirst() {
            return page.results().isEmpty() ? 0 : start + 1;
        }

        public int getLast() {
            return start + page.results().size();
        }

        /** "Jobs 1 to 50 of 111 whose name contains "x"", or "No job …" when none. */
        public String getRange() {
            String which = filter.isEmpty() ? "" : " whose name contains \"" + filter + "\"";
            return page.total() == 0
                    ? "No job" + which + "."
                    : "Jobs " + getFirst() + " to " + getLast() + " of " + page.total() + which;
        }

        /** The query of the previous page ("?q=…&start=…"), or null on the first. */
        @CheckForNull
        public String getPrevious() {
            return start == 0 ? null : query(Math.max(0, start - PAGE_SIZE));
        }

        /** The query of the next page, or null on the last. */
        @CheckForNull
        public String getNext() {
            return start + page.results().size() >= page.total() ? null : query(start + PAGE_SIZE);
        }

        private String query(int at) {
            return "?q=" + URLEncoder.encode(filter, StandardCharsets.UTF_8) + "&start=" + at;
        }
    }
}
