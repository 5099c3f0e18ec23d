package io.jenkins.plugins.platformsh.delivery.verify;

import java.util.LinkedHashSet;
import java.util.List;
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
    private final Set<String> refs;
    private final boolean global;
    private final String method;
    private final String reason;

    private Verification(
            Status status, Set<String> keyIds, Set<String> refs, boolean global, String method, String reason) {
        this.status = status;
        this.keyIds = SharedSets.of(keyIds);
        this.refs = SharedSets.of(refs);
        this.global = global;
        this.method = method;
        this.reason = reason;
    }

    /** Verified by these keys (untargeted ones, as when built by hand in tests, are their ids). */
    public static Verification verified(Set<String> keyIds, boolean global, String method) {
        return new Verification(Status.VERIFIED, keyIds, keyIds, global, method, "verified by " + method);
    }

    public static Verification verified(List<VerificationKey> keys, String method) {
        return verified(keys, method, "");
    }

    /** Verified, with a detail for the log (which reading of a shared key matched). */
    public static Verification verified(List<VerificationKey> keys, String method, String detail) {
        return new Verification(
                Status.VERIFIED,
                ids(keys),
                refs(keys),
                keys.stream().anyMatch(VerificationKey::global),
                method,
                "verified by " + method + (detail.isEmpty() ? "" : " (" + detail + ")"));
    }

    public static Verification unsigned() {
        return new Verification(
                Status.UNSIGNED, Set.of(), Set.of(), false, "none", "unsigned (accepted by configuration)");
    }

    public static Verification missing(String reason) {
        return new Verification(Status.MISSING, Set.of(), Set.of(), false, "none", reason);
    }

    static Verification invalid(String method, String reason) {
        return new Verification(Status.INVALID, Set.of(), Set.of(), false, method, reason);
    }

    /** Used by an administrator's dry run: as if every configured key had verified the delivery. */
    public static Verification trusted(List<VerificationKey> keys) {
        return new Verification(Status.VERIFIED, ids(keys), refs(keys), true, "dry run", "not checked (dry run)");
    }

    /**
     * How a delivery kept for replay was verified when it arrived: the same keys, so that it reaches the jobs it
     * could reach then, and only those whose keys {@code stillConfigured} lists (a key removed since verifies
     * nothing). Null when none is left.
     */
    public Verification rememberedFor(List<VerificationKey> stillConfigured) {
        if (status == Status.UNSIGNED) {
            return this;
        }
        Set<String> ids = new LinkedHashSet<>();
        Set<String> kept = new LinkedHashSet<>();
        boolean anyGlobal = false;
        for (VerificationKey k : stillConfigured) {
            if (refs.contains(k.ref())) {
                ids.add(k.id());
                kept.add(k.ref());
                anyGlobal |= k.global();
            }
        }
        return kept.isEmpty()
                ? null
                : new Verification(
                        Status.VERIFIED,
                        ids,
                        kept,
                        anyGlobal,
                        method,
                        "verified when it was received (" + method + ")");
    }

    /** What is stored of a verification for replay: status, keys and method; never a secret. */
    public static Verification stored(
            Status status, Set<String> keyIds, Set<String> refs, boolean global, String method) {
        return new Verification(
                status,
                keyIds,
                refs,
                global,
                method,
                status == Status.UNSIGNED ? "unsigned (accepted by configuration)" : "verified by " + method);
    }

    public Set<String> refs() {
        return refs;
    }

    private static Set<String> ids(List<VerificationKey> keys) {
        Set<String> out = new LinkedHashSet<>();
        keys.forEach(k -> out.add(k.id()));
        return out;
    }

    private static Set<String> refs(List<VerificationKey> keys) {
        Set<String> out = new LinkedHashSet<>();
        keys.forEach(k -> out.add(k.ref()));
        return out;
    }

    /** Whether this very key (same id, same target) verified the delivery. */
    public boolean verifiedBy(VerificationKey key) {
        return refs.contains(key.ref());
    }

    /**
     * Whether the credentials a trigger names, in the role it names them, verified the delivery for that trigger's
     * target. A job (or its waiting step) may name the same id in the other role: that key then has the same ref, and
     * only the method tells a signature from a token.
     */
    public boolean verifiedWith(NamedKey key, String targetId) {
        // For a job, only the key resolved in that job's context counts: a global key that happens to share the id
        // is another secret, and must not reach a job that chose its own.
        String id = key.credentialsId();
        return refs.contains(targetId == null ? id : VerificationKey.ref(id, targetId)) && inRole(key.role());
    }

    /** Whether the method that verified the delivery is the one of this role (a dry run stands for every key). */
    private boolean inRole(VerificationKey.Kind role) {
        return switch (method) {
            case "signature" -> role == VerificationKey.Kind.SHARED_KEY;
            case "token" -> role == VerificationKey.Kind.TOKEN;
            case "dry run" -> true;
            default -> false;
        };
    }

    /**
     * Whether a key resolved for this target (job) verified the delivery, whatever its credentials id: the job's own
     * key, named by its trigger or by one of its waiting steps.
     */
    public boolean verifiedForTarget(String targetId) {
        for (String r : refs) {
            if (targetId != null && targetId.equals(VerificationKey.targetOf(r))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the job {@code targetId} may see this delivery: a key valid for it verified it, either a key of the global
     * configuration (an additional key only reaches this far when it is valid for the delivery's project) or a key
     * resolved for this job. Unsigned deliveries never are. The rule of a wait's and of a job's own history.
     */
    public boolean maySee(String targetId) {
        return status == Status.VERIFIED && (global || verifiedForTarget(targetId));
    }

    /**
     * What {@link #maySee} needs, kept by the delivery log and its file: never a secret. When the keys that verified
     * it were resolved for more than {@link Audience#MAX_TARGETS} jobs (one credentials id named by thousands of
     * branch jobs), no job's own key makes it visible: the log keeps at most that many names per delivery, and showing
     * it to fewer jobs than may see it is the safe side. A global key still makes it visible to every job.
     */
    public Audience audience() {
        if (status != Status.VERIFIED) {
            return Audience.NONE;
        }
        Set<String> targets = new java.util.TreeSet<>();
        for (String r : refs) {
            String target = VerificationKey.targetOf(r);
            if (target != null) {
                if (targets.size() == Audience.MAX_TARGETS) {
                    return new Audience(true, global, Set.of());
                }
                targets.add(target);
            }
        }
        return new Audience(true, global, targets);
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

    /** The same verification, by these keys only (those valid for the delivery's project). */
    public Verification restrictedTo(List<VerificationKey> keys) {
        return new Verification(
                status, ids(keys), refs(keys), keys.stream().anyMatch(VerificationKey::global), method, reason);
    }

    @Override
    public String toString() {
        return reason;
    }
}
