package io.jenkins.plugins.platformsh.delivery.verify;

import io.jenkins.plugins.platformsh.delivery.text.Patterns;
import io.jenkins.plugins.platformsh.delivery.text.Validation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * One secret a delivery may be verified with: a Platform.sh shared key (for the {@code X-JWS-Signature} header) or
 * a plain token (for integrations configured without a shared key). It is identified by the id of the Jenkins
 * credentials it came from; the secret itself never leaves this class except as key material for the MAC.
 */
public final class VerificationKey {

    /** What the secret is checked against. */
    public enum Kind {
        SHARED_KEY,
        TOKEN
    }

    /**
     * How the text of a shared key becomes HMAC key bytes. Platform.sh does not settle it: its public 2019 test vector
     * verifies only with the base64url-decoded key, and its current webhook page decodes the key in some examples and
     * uses the raw text in others. Both readings are tried.
     */
    public enum Reading {
        /** base64 or base64url decoding of the text (what the public test vector proves). */
        DECODED("shared key read as base64"),
        /** the UTF-8 bytes of the text as typed. */
        TEXT("shared key read as plain text");

        private final String description;

        Reading(String description) {
            this.description = description;
        }

        /** Words for the deliveries page: which reading verified a delivery. */
        public String description() {
            return description;
        }
    }

    private final String id;
    private final Kind kind;
    /** A token's digest, or a shared key's text as UTF-8. */
    private final byte[] material;
    /** A shared key's readings, by kind; a token has none. */
    private final java.util.Map<Reading, byte[]> readings;

    private final boolean global;
    private final Set<String> projects;
    private final String target;

    private VerificationKey(
            String id,
            Kind kind,
            java.util.Map<Reading, byte[]> readings,
            byte[] material,
            boolean global,
            Set<String> projects,
            String target) {
        this.id = Objects.requireNonNull(id, "id");
        this.kind = kind;
        this.readings = readings;
        this.material = material;
        this.global = global;
        this.projects = Set.copyOf(projects);
        this.target = target;
    }

    /**
     * A Platform.sh shared key as typed in {@code --shared-key}: any non-blank text. A signature verifies when it was
     * made with either {@link Reading}: the base64 decoding of the text (standard or URL alphabet, padding optional),
     * where the text decodes, or the UTF-8 bytes of the text. Surrounding white space (a pasted new line) is dropped.
     *
     * @throws IllegalArgumentException if the text is empty or blank
     */
    public static VerificationKey sharedKey(String id, String sharedKey, boolean global) {
        String text = sharedKey == null ? "" : sharedKey.trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the shared key is empty");
        }
        java.util.Map<Reading, byte[]> readings = new java.util.EnumMap<>(Reading.class);
        byte[] decoded = Base64Lenient.decode(text);
        if (decoded != null && decoded.length > 0) {
            readings.put(Reading.DECODED, decoded);
        }
        readings.put(Reading.TEXT, text.getBytes(StandardCharsets.UTF_8));
        java.util.Map<Reading, byte[]> frozen = java.util.Collections.unmodifiableMap(readings);
        // The text determines both readings, so it alone identifies the key.
        return new VerificationKey(id, Kind.SHARED_KEY, frozen, readings.get(Reading.TEXT), global, Set.of(), null);
    }

    /** A token compared with the {@code token} query parameter or the {@code X-Platformsh-Token} header. */
    public static VerificationKey token(String id, String token, boolean global) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the token is empty");
        }
        return new VerificationKey(
                id,
                Kind.TOKEN,
                java.util.Map.of(),
                digest(token.getBytes(StandardCharsets.UTF_8)),
                global,
                Set.of(),
                null);
    }

    /** A copy valid only for deliveries of these projects (empty: any project). */
    public VerificationKey forProjects(Set<String> projectIds) {
        return new VerificationKey(id, kind, readings, material, global, projectIds, target);
    }

    /**
     * A copy that stands for the credentials a trigger names only for that one target (job). Credentials ids are not
     * unique across folders: a key resolved in one job's context must never satisfy another job naming the same id.
     */
    public VerificationKey forTarget(String targetId) {
        return new VerificationKey(
                id, kind, readings, material, false, projects, Objects.requireNonNull(targetId, "targetId"));
    }

    /** The job this key was resolved for, or null for a key of the global configuration. */
    public String target() {
        return target;
    }

    /** What a verification remembers of this key: its id, and its target when it has one. */
    String ref() {
        return ref(id, target);
    }

    static String ref(String id, String target) {
        return target == null ? id : id + '\u0000' + target;
    }

    /**
     * Whether a reference (see {@link Verification#refs()}) is that of a key of the global configuration (the global
     * shared key or token, an additional key): only keys resolved for a job (a trigger's, a wait's) have a target,
     * and no credentials id holds a NUL.
     */
    public static boolean globalRef(String ref) {
        return ref.indexOf('\u0000') < 0;
    }

    /** The job a reference's key was resolved for, or null for a key of the global configuration. */
    static String targetOf(String ref) {
        int cut = ref.indexOf('\u0000');
        return cut < 0 ? null : ref.substring(cut + 1);
    }

    /**
     * A copy valid only for the projects named in a text field (ids separated by commas, spaces or new lines; empty:
     * any project).
     */
    public VerificationKey forProjects(String projectIds) {
        return forProjects(Set.copyOf(Patterns.split(projectIds)));
    }

    /** Whether the text is usable as a shared key (any non-blank text is); for form validation. */
    public static boolean isValidSharedKey(String text) {
        return text != null && !text.isBlank();
    }

    /** What a configuration form says about the text of a Secret text meant as a shared key. */
    public static Validation checkSharedKeyText(String text) {
        if (!isValidSharedKey(text)) {
            return Validation.error(
                    "This secret is empty: paste the --shared-key value exactly as given to the integration.");
        }
        if (!text.equals(text.trim())) {
            return Validation.warning("This secret begins or ends with white space, which is dropped when verifying: "
                    + "if the integration's --shared-key really has it, no delivery will verify.");
        }
        return Validation.ok();
    }

    /** Whether the text will also be tried base64-decoded; for form validation, which says which readings apply. */
    public static boolean decodesAsBase64(String text) {
        byte[] decoded = text == null ? null : Base64Lenient.decode(text.trim());
        return decoded != null && decoded.length > 0;
    }

    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public boolean global() {
        return global;
    }

    public Set<String> projects() {
        return projects;
    }

    public boolean appliesTo(String project) {
        return projects.isEmpty() || (project != null && projects.contains(project));
    }

    /** A token's digest, or a shared key's text. */
    byte[] material() {
        return material;
    }

    /** A shared key's HMAC key bytes, one per reading that applies to its text. */
    java.util.Map<Reading, byte[]> readings() {
        return readings;
    }

    /** Tokens are compared as SHA-256 digests so that the comparison takes the same time whatever their lengths. */
    public static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        // Never the secret.
        return "VerificationKey[" + id + ", " + kind + (global ? ", global" : "")
                + (target == null ? "" : ", for " + target) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerificationKey k
                && id.equals(k.id)
                && kind == k.kind
                && global == k.global
                && projects.equals(k.projects)
                && Objects.equals(target, k.target)
                && MessageDigest.isEqual(material, k.material);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, kind, global, projects, target, Arrays.hashCode(digest(material)));
    }
}
