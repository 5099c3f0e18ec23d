package io.jenkins.plugins.platformsh.ui;

import io.jenkins.plugins.platformsh.delivery.match.MatchResult;
import java.util.List;
import java.util.Locale;

/** The jobs a delivery did not match, by reason, in one line: "9,990 jobs: project 'q7r…' is not theirs · 1 job: …". */
final class ReasonCounts {

    static final String SEPARATOR = " · ";

    private ReasonCounts() {}

    static String text(List<MatchResult.ReasonCount> counts) {
        StringBuilder sb = new StringBuilder();
        for (MatchResult.ReasonCount c : counts) {
            if (sb.length() > 0) {
                sb.append(SEPARATOR);
            }
            sb.append(jobs(c.jobs())).append(": ").append(c.reason());
        }
        return sb.toString();
    }

    /** "1 job", "9,990 jobs". */
    static String jobs(int n) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? "job" : "jobs");
    }
}
