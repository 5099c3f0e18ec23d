/**
 * De-duplication: the bounded memory of the activities already seen ({@code Deduplicator}), so that a repeated
 * delivery never builds twice. Uses nothing else in the delivery package.
 */
package io.jenkins.plugins.platformsh.delivery.dedupe;
