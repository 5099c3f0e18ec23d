/**
 * Routing a delivery inside a multibranch project, Jenkins-free: which branch job an environment is
 * ({@link io.jenkins.plugins.platformsh.delivery.route.BranchRoute}, {@link io.jenkins.plugins.platformsh.delivery.route.BranchRouter}),
 * which environment a branch job listens to by default
 * ({@link io.jenkins.plugins.platformsh.delivery.route.BranchEnvironments}), and what to do while a branch job does
 * not exist yet ({@link io.jenkins.plugins.platformsh.delivery.route.MissingBranch},
 * {@link io.jenkins.plugins.platformsh.delivery.route.PendingBranchBuilds},
 * {@link io.jenkins.plugins.platformsh.delivery.route.RecentIndexing}).
 *
 * <p>Matching itself stays in {@code TriggerIndex}: a multibranch project's trigger is indexed like a job's, under the
 * project's full name, so a delivery's cost does not depend on how many projects or branches there are.
 */
package io.jenkins.plugins.platformsh.delivery.route;
