/**
 * Everything the plugin decides about a Platform.sh webhook delivery, free of any Jenkins type.
 *
 * <p>One delivery takes one straight path through {@link io.jenkins.plugins.platformsh.delivery.DeliveryService},
 * which calls each stage once, in order, each a sub-package named for its step: {@code receive} (the body, within
 * bounds), {@code verify} (signature or token), {@code activity} (parse), {@code dedupe}, {@code match} (the
 * triggers, with {@code route} for multibranch projects), {@code schedule} (what each build carries), {@code wait}
 * (waiting steps released), {@code outcome} (the answer), {@code log} (what was decided and why) and {@code state}
 * (what survives a restart); {@code redact} and {@code text} serve them all. A stage uses only the stages below it;
 * {@code ArchitectureTest} holds the order. The Jenkins adapters only translate a request in, queue what the
 * {@link io.jenkins.plugins.platformsh.delivery.outcome.Outcome} lists, and write its answer out.
 *
 * <p>This package may import {@code java.*} and Jackson only; the Maven-Central-only build in {@code .ci/pom.xml}
 * compiles it alone, which proves it.
 */
package io.jenkins.plugins.platformsh.delivery;
