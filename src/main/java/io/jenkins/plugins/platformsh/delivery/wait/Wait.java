package io.jenkins.plugins.platformsh.delivery.wait;

import java.time.Instant;
import java.util.Objects;

/**
 * One waiting step.
 *
 * @param id     unique per step execution; stays the same across a restart
 * @param spec   what releases it
 * @param since  deliveries received from this instant on count (the build's start), so none is lost to a race
 * @param owner  who waits, in words for the deliveries page (job and build)
 */
public record Wait(String id, WaitSpec spec, Instant since, String owner) {

    public Wait {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(owner, "owner");
    }
}
