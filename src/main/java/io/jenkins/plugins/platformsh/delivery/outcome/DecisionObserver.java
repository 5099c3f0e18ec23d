package io.jenkins.plugins.platformsh.delivery.outcome;

/**
 * Told of each decision as it is made, with the time it took (metrics). It runs on the delivery's path: it must be
 * quick, and whatever it throws is ignored.
 */
@FunctionalInterface
public interface DecisionObserver {

    DecisionObserver NONE = (outcome, nanos) -> {};

    void decided(Outcome outcome, long nanos);
}
