/**
 * The administrators' deliveries page ({@code /manage/platformsh-deliveries/}): the log, the waits, dry runs and
 * replays. Uses {@code pipeline}, {@code trigger} and {@code config}.
 */
package io.jenkins.plugins.platformsh.ui;
