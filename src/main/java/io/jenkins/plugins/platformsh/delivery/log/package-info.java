/**
 * The delivery log: what each delivery was answered and, for every job, why it did or did not build
 * ({@code DeliveryLog}), bounded in entries and in kept bodies; and how the pages word it ({@code DeliveryLabels},
 * {@code BuildSummary}, {@code TimeText}). Uses {@code outcome} and the stages below it.
 */
package io.jenkins.plugins.platformsh.delivery.log;
