/**
 * The {@code platformsh.webhook.*} metrics, where the metrics plugin is installed (an optional extension). Reads the
 * delivery log's counters through {@code trigger}.
 */
package io.jenkins.plugins.platformsh.metrics;
