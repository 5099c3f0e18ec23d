package io.jenkins.plugins.platformsh.delivery.wait;

import io.jenkins.plugins.platformsh.delivery.activity.Activity;
import java.util.Map;

/**
 * A wait released by a delivery.
 *
 * @param view the same map as {@code platformshActivity()} returns; {@code url} holds the environment's primary URL
 */
public record Release(Wait step, Activity activity, Map<String, Object> view) {

    /** Whether Platform.sh reported the activity as failed: the step then fails unless told not to. */
    public boolean failed() {
        return "failure".equals(activity.result());
    }
}
