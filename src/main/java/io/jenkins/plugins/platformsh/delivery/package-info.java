/**
 * Everything the plugin decides about a Platform.sh webhook delivery, free of any Jenkins type.
 *
 * <p>One delivery takes one straight path through {@link io.jenkins.plugins.platformsh.delivery.DeliveryService}:
 * receive ({@link io.jenkins.plugins.platformsh.delivery.BodyReader}), verify
 * ({@link io.jenkins.plugins.platformsh.delivery.SignatureVerifier}), parse
 * ({@link io.jenkins.plugins.platformsh.delivery.ActivityParser}), de-duplicate
 * ({@link io.jenkins.plugins.platformsh.delivery.Deduplicator}), match
 * ({@link io.jenkins.plugins.platformsh.delivery.TriggerIndex}), and record
 * ({@link io.jenkins.plugins.platformsh.delivery.DeliveryLog}). The Jenkins adapters only translate a request in,
 * queue what the {@link io.jenkins.plugins.platformsh.delivery.Outcome} lists, and write its answer out.
 *
 * <p>This package may import {@code java.*} and Jackson only; the Maven-Central-only build in {@code .ci/pom.xml}
 * compiles it alone, which proves it.
 */
package io.jenkins.plugins.platformsh.delivery;
