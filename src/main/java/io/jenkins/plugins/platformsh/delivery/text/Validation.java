package io.jenkins.plugins.platformsh.delivery.text;

/** The verdict on one form field: fine, worth a warning, or an error. The adapter turns it into a FormValidation. */
public record Validation(Level level, String message) {

    /** How serious the message is. */
    public enum Level {
        OK,
        WARNING,
        ERROR
    }

    public static Validation ok() {
        return new Validation(Level.OK, "");
    }

    public static Validation warning(String message) {
        return new Validation(Level.WARNING, message);
    }

    public static Validation error(String message) {
        return new Validation(Level.ERROR, message);
    }

    public boolean isOk() {
        return level == Level.OK;
    }

    public boolean isError() {
        return level == Level.ERROR;
    }
}
