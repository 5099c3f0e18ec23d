/**
 * Each job's own Platform.sh deliveries ({@code job/<name>/platformsh-deliveries/}): a side-panel link on jobs and
 * multibranch projects with a Platform.sh trigger, for those who may configure them. One factory serves both, on
 * {@code AbstractItem}, so that the package needs nothing of branch-api (an optional dependency).
 */
package io.jenkins.plugins.platformsh.ui.job;
