/**
 * The administrators' deliveries page ({@code /manage/platformsh-deliveries/}): the log, the waits and dry runs, and
 * each delivery's own page ({@code delivery/<id>/}: every job's result, the payload, the replay). {@code ui.job} adds
 * each job's own deliveries. Uses {@code pipeline}, {@code trigger} and {@code config}.
 */
package io.jenkins.plugins.platformsh.ui;
