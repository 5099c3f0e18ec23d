/**
 * Matching a delivery against the triggers: a trigger's filters ({@code TriggerSpec}, validated by
 * {@code FilterValidation}, with the known {@code EventTypes} and its {@code Coalesce} policy), the index that finds
 * the candidate triggers without scanning them all ({@code TriggerIndex}, {@code BucketKeys}), and for every trigger
 * the reason it matched or not ({@code MatchResult}). Uses {@code route}, {@code verify}, {@code activity} and
 * {@code text}.
 */
package io.jenkins.plugins.platformsh.delivery.match;
