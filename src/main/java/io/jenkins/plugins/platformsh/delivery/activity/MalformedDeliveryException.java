package io.jenkins.plugins.platformsh.delivery.activity;

/** A body that cannot be read as a Platform.sh delivery; its message is short and safe to send back. */
public final class MalformedDeliveryException extends Exception {

    private static final long serialVersionUID = 1L;

    MalformedDeliveryException(String reason) {
        // No stack trace: this is an answer to bad input, not a fault of ours.
        super(reason, null, false, false);
    }
}
