/**
 * The answer to one delivery: its status, its short text, the builds to queue and the waits it released
 * ({@code Outcome}), and who is told once it is decided ({@code DecisionObserver}). Uses {@code wait} and the stages
 * below it.
 */
package io.jenkins.plugins.platformsh.delivery.outcome;
