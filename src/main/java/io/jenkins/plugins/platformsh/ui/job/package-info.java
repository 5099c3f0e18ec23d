/**
 * Each job's own Platform.sh deliveries ({@code job/<name>/platformsh-deliveries/}): a side-panel link on jobs and
 * multibranch projects with a Platform.sh trigger, for those who may configure them. The multibranch factory is an
 * {@code @Extension(optional = true)} (branch-api is an optional dependency), as in {@code multibranch}.
 */
package io.jenkins.plugins.platformsh.ui.job;
