/**
 * De-duplication: the bounded memory of the activities already seen ({@code Deduplicator}), so that a repeated
 * delivery never builds twice. An activity's identity is its own ({@code DedupeKey}: project, id, state, result);
 * it is remembered in one bounded share per key that verified it, so that no key holder can evict or pre-empt what
 * other keys verified. Uses the parsed activity ({@code activity}) and the verification ({@code verify}), nothing
 * else in the delivery package.
 */
package io.jenkins.plugins.platformsh.delivery.dedupe;
