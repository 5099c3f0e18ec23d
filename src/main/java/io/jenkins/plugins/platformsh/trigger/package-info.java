/**
 * Jobs and their builds: the trigger ({@code PlatformshTrigger}) and the registry that owns the one
 * {@code DeliveryService} and its index ({@code PlatformshTriggers}), the keys a delivery is verified with
 * ({@code PlatformshKeys}), queueing what an outcome lists ({@code PlatformshScheduler}, {@code QueuedBuild},
 * {@code PlatformshTargetSupport} for other kinds of target), what a build keeps ({@code PlatformshCause},
 * {@code PlatformshDeliveryAction}) and the old names they were saved under ({@code PersistedNames}). Uses
 * {@code config} and {@code store}.
 */
package io.jenkins.plugins.platformsh.trigger;
