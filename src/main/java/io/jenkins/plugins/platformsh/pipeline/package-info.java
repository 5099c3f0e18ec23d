/**
 * Pipeline steps: {@code platformshActivity()} reads the delivery that started the build, and
 * {@code waitForPlatformsh} waits, asynchronously and across restarts, for a matching delivery
 * ({@code PlatformshWaitStep}, its execution and the registry that hands deliveries to it). The decisions are
 * {@code delivery.wait}'s. Uses {@code trigger} and {@code config}.
 */
package io.jenkins.plugins.platformsh.pipeline;
