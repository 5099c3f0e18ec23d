/**
 * What a queued build carries: one build to queue and its parameters ({@code Schedule}), the
 * {@code PLATFORMSH_*} variables ({@code Variables}), the cause's text ({@code CauseText}), the activity as a build
 * keeps it and a step reads it back ({@code ActivityRecord}, {@code ActivityView}), and what became of each queue
 * attempt ({@code ScheduleResult}). Uses {@code match} and the stages below it.
 */
package io.jenkins.plugins.platformsh.delivery.schedule;
