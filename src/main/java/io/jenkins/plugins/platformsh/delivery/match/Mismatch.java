package io.jenkins.plugins.platformsh.delivery.match;

/** The check of a trigger that a delivery failed, in the order they are checked. */
public enum Mismatch {
    EVENT,
    PROJECT,
    ENVIRONMENT,
    EXCLUDED,
    STATE,
    RESULT,
    KEY
}
