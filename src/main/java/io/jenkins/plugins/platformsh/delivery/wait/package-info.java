/**
 * Waiting pipeline steps ({@code waitForPlatformsh}): what a wait wants ({@code WaitSpec}), the index of the waits
 * ({@code WaitIndex}), the recent deliveries a new wait may be released by ({@code RecentDeliveries}), and the one
 * place that decides which waits a delivery releases ({@code Waits}, {@code Release}). Uses {@code schedule} and the
 * stages below it.
 */
package io.jenkins.plugins.platformsh.delivery.wait;
