package io.jenkins.plugins.platformsh.delivery;

import java.util.List;
import java.util.Set;

/**
 * The vocabulary of Platform.sh deliveries. Event types keep growing, so an unknown type is never refused: it is
 * only worth a warning in the form, in case it is a typo.
 */
public final class EventTypes {

    /** Event types documented by Platform.sh / Upsun, plus the health notifications this plugin names. */
    public static final Set<String> KNOWN = Set.of(
            "environment.push", "environment.merge", "environment.merge-pr", "environment.branch",
            "environment.activate", "environment.deactivate", "environment.delete", "environment.synchronize",
            "environment.backup", "environment.backup.delete", "environment.restore", "environment.initialize",
            "environment.redeploy", "environment.cron", "environment.source-operation", "environment.pause",
            "environment.resume", "environment.certificate.renewal", "environment.resources.update",
            "environment.update", "environment.update.http_access", "environment.update.restrict_robots",
            "environment.update.smtp", "environment.route.create", "environment.route.delete",
            "environment.route.update", "environment.variable.create", "environment.variable.delete",
            "environment.variable.update", "environment.subscription.update", "environment.access.add",
            "environment.access.remove", "environment.domain.create", "environment.domain.delete",
            "environment.domain.update", "environment.operation", "environment.deploy",
            "environment_deploy", "integration.bitbucket.fetch", "integration.bitbucket.register_hooks",
            "integration.bitbucket_server.fetch", "integration.bitbucket_server.register_hooks",
            "integration.github.fetch", "integration.gitlab.fetch", "integration.health.email",
            "integration.health.pagerduty", "integration.health.slack", "integration.webhook",
            "integration.script", "project.clear_build_cache", "project.create", "project.domain.create",
            "project.domain.delete", "project.domain.update", "project.modify.title", "project.variable.create",
            "project.variable.delete", "project.variable.update", "maintenance.upgrade",
            "health.disk", "health.memory", "health.cpu");

    /** Activity states, in the order an activity goes through them. */
    public static final List<String> STATES = List.of("pending", "scheduled", "staged", "in_progress", "complete", "cancelled");

    /** Activity results; {@code none} stands for a null result (an activity that has not completed). */
    public static final List<String> RESULTS = List.of("success", "failure", "none");

    private EventTypes() {}

    /** Whether a pattern could match at least one known type (so {@code environment.*} is fine). */
    static boolean known(String pattern) {
        if (KNOWN.contains(pattern)) {
            return true;
        }
        if (!Patterns.isGlob(pattern)) {
            return false;
        }
        for (String k : KNOWN) {
            if (Patterns.glob(pattern, k)) {
                return true;
            }
        }
        return false;
    }
}
