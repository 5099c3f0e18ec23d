package io.jenkins.plugins.platformsh.delivery.match;

/** A filter value that can never be valid; its message says which field and why, for the form and for CasC. */
public final class FilterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    FilterException(String message) {
        super(message);
    }
}
