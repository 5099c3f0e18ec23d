package io.jenkins.plugins.platformsh.delivery.match;

import io.jenkins.plugins.platformsh.delivery.text.Patterns;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The vocabulary of Platform.sh deliveries. Event types keep growing, so an unknown type is never refused: it is
 * only worth a warning in the form, in case it is a typo.
 */
public final class EventTypes {

    /**
     * Activity types of today's platform, as the Platform.sh / Upsun CLI lists them for its activity type filter
     * (legacy-cli {@code ActivityLoader::getAvailableTypes}) and as the activity reference documents them, plus
     * {@code environment.alert} and {@code environment.task}, which neither list has but which are listed as types of
     * today's platform where this project gathers its facts: kept so that they raise no warning.
     * {@code environment_deploy} and a bare {@code environment.update} do not exist and are not here.
     */
    static final Set<String> ACTIVITIES = Set.of(
            "environment.access.add",
            "environment.access.remove",
            "environment.activate",
            "environment.alert",
            "environment.backup",
            "environment.backup.delete",
            "environment.branch",
            "environment.certificate.renewal",
            "environment.cron",
            "environment.deactivate",
            "environment.delete",
            "environment.deploy",
            "environment.domain.create",
            "environment.domain.delete",
            "environment.domain.update",
            "environment.initialize",
            "environment.merge",
            "environment.merge-pr",
            "environment.operation",
            "environment.pause",
            "environment.push",
            "environment.redeploy",
            "environment.resources.update",
            "environment.restore",
            "environment.resume",
            "environment.route.create",
            "environment.route.delete",
            "environment.route.update",
            "environment.source-operation",
            "environment.subscription.update",
            "environment.synchronize",
            "environment.task",
            "environment.update.http_access",
            "environment.update.privileged_configuration",
            "environment.update.restrict_robots",
            "environment.update.smtp",
            "environment.variable.create",
            "environment.variable.delete",
            "environment.variable.update",
            "environment.version.create",
            "environment.version.delete",
            "environment.version.update",
            "environment_type.access.create",
            "environment_type.access.delete",
            "environment_type.access.update",
            "integration.bitbucket.fetch",
            "integration.bitbucket.register_hooks",
            "integration.bitbucket_server.fetch",
            "integration.bitbucket_server.register_hooks",
            "integration.github.fetch",
            "integration.gitlab.fetch",
            "integration.health.email",
            "integration.health.pagerduty",
            "integration.health.slack",
            "integration.health.webhook",
            "integration.script",
            "integration.webhook",
            "maintenance.upgrade",
            "project.clear_build_cache",
            "project.create",
            "project.domain.create",
            "project.domain.delete",
            "project.domain.update",
            "project.metrics.disable",
            "project.metrics.enable",
            "project.metrics.update",
            "project.modify.title",
            "project.variable.create",
            "project.variable.delete",
            "project.variable.update");

    /**
     * Health notifications, typed {@code health.<component>} by this plugin: {@code disk} (the low-disk warnings
     * Platform.sh documents) and {@code inodes}. Any other component still matches; the form only warns.
     */
    static final Set<String> HEALTH = Set.of("health.disk", "health.inodes");

    /** Every type the form accepts without a warning. */
    public static final Set<String> KNOWN = union(ACTIVITIES, HEALTH);

    /** Activity states, in the order an activity goes through them. */
    public static final List<String> STATES =
            List.of("pending", "scheduled", "staged", "in_progress", "complete", "cancelled");

    /** Activity results; {@code none} stands for a null result (an activity that has not completed). */
    public static final List<String> RESULTS = List.of("success", "failure", "none");

    private EventTypes() {}

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

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
