package io.jenkins.plugins.platformsh.trigger;

import hudson.model.Cause;
import java.util.Objects;

/**
 * "Platform.sh environment.push on main by Jane Doe". The text comes from the payload, so it is kept as plain text
 * and only ever rendered escaped (see description.jelly).
 */
public class PlatformshCause extends Cause {

    private final String text;
    private final String activityId;
    private final String deliveryId;

    public PlatformshCause(String text, String activityId, String deliveryId) {
        this.text = Objects.requireNonNullElse(text, "Platform.sh");
        this.activityId = Objects.requireNonNullElse(activityId, "");
        this.deliveryId = Objects.requireNonNullElse(deliveryId, "");
    }

    @Override
    public String getShortDescription() {
        return text;
    }

    public String getActivityId() {
        return activityId;
    }

    public String getDeliveryId() {
        return deliveryId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlatformshCause c
                && text.equals(c.text)
                && activityId.equals(c.activityId)
                && deliveryId.equals(c.deliveryId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, activityId, deliveryId);
    }
}
