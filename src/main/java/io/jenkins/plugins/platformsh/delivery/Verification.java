package io.jenkins.plugins.platformsh.delivery;

import java.util.Set;

/**
 * What the signature or token check concluded. Only {@link Status#VERIFIED} and {@link Status#UNSIGNED} (when
 * unsigned deliveries are explicitly accepted) let a delivery go on to matching.
 */
public final class Verification {

    /** The result of the check. */
    public enum Status {
        /** A signature or token matched at least one configured key. */
        VERIFIED,
        /** Nothing to check, and the administrator accepts unsigned deliveries. */
        UNSIGNED,
        /** Nothing to check, and a signature or token is required. */
        MISSING,
        /** A signature or token was there but does not verify. */
        INVALID
    }

    private final Status status;
    private final Set<String> keyIds;
    private final boolean global;
    private final String method;
    private final String reason;

    private Verification(Status status, Set<String> keyIds, boolean global, String method, String reason) {
        this.status = status;
        this.keyIds = Set.copyOf(keyIds);
        this.global = global;
        this.method = method;
        this.reason = reason;
    }

    static Verification verified(Set<String> keyIds, boolean global, String method) {
        return new Verification(Status.VERIFIED, keyIds, global, method, "verified by " + method);
    }

    static Verification unsigned() {
        return new Verification(Status.UNSIGNED, Set.of(), false, "none", "unsigned (accepted by configuration)");
    }

    static Verification missing(String reason) {
        return new Verification(Status.MISSING, Set.of(), false, "none", reason);
    }

    static Verification invalid(String method, String reason) {
        return new Verification(Status.INVALID, Set.of(), false, method, reason);
    }

    /** Used by an administrator's dry run: as if every configured key had verified the delivery. */
    static Verification trusted(Set<String> keyIds) {
        return new Verification(Status.VERIFIED, keyIds, true, "dry run", "not checked (dry run)");
    }

    public Status status() {
        return status;
    }

    public boolean passed() {
        return status == Status.VERIFIED || status == Status.UNSIGNED;
    }

    /** Ids of the credentials whose secret verified the delivery. */
    public Set<String> keyIds() {
        return keyIds;
    }

    /** Whether a key of the global configuration verified it. */
    public boolean global() {
        return global;
    }

    /** "signature", "token", "none" or "dry run". */
    public String method() {
        return method;
    }

    /** A short sentence for the delivery log. */
    public String reason() {
        return reason;
    }

    Verification restrictedTo(Set<String> ids, boolean stillGlobal) {
        return new Verification(status, ids, stillGlobal, method, reason);
    }

    @Override
    public String toString() {
        return reason;
    }
}
