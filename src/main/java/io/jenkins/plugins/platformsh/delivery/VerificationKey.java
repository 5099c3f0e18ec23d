package io.jenkins.plugins.platformsh.delivery;

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

    private final String id;
    private final Kind kind;
    private final byte[] material;
    private final boolean global;
    private final Set<String> projects;
    private final String target;

    private VerificationKey(String id, Kind kind, byte[] material, boolean global, Set<String> projects, String target) {
        this.id = Objects.requireNonNull(id, "id");
        this.kind = kind;
        this.material = material;
        this.global = global;
        this.projects = Set.copyOf(projects);
        this.target = target;
    }

    /**
     * A Platform.sh shared key as typed in {@code --shared-key}. The HMAC key is its base64url decoding (standard
     * alphabet and missing padding tolerated), which is what the public test vector proves.
     *
     * @throws IllegalArgumentException if the text is empty or not base64
     */
    public static VerificationKey sharedKey(String id, String sharedKey, boolean global) {
        byte[] decoded = Base64Lenient.decode(sharedKey == null ? "" : sharedKey.trim());
        if (decoded == null || decoded.length == 0) {
            throw new IllegalArgumentException("the shared key is empty or not base64url text");
        }
        return new VerificationKey(id, Kind.SHARED_KEY, decoded, global, Set.of(), null);
    }

    /** A token compared with the {@code token} query parameter or the {@code X-Platformsh-Token} header. */
    public static VerificationKey token(String id, String token, boolean global) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the token is empty");
        }
        return new VerificationKey(id, Kind.TOKEN, digest(token.getBytes(StandardCharsets.UTF_8)), global, Set.of(), null);
    }

    /** A copy valid only for deliveries of these projects (empty: any project). */
    public VerificationKey forProjects(Set<String> projectIds) {
        return new VerificationKey(id, kind, material, global, projectIds, target);
    }

    /**
     * A copy that stands for the credentials a trigger names only for that one target (job). Credentials ids are not
     * unique across folders: a key resolved in one job's context must never satisfy another job naming the same id.
     */
    public VerificationKey forTarget(String targetId) {
        return new VerificationKey(id, kind, material, false, projects, Objects.requireNonNull(targetId, "targetId"));
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
     * A copy valid only for the projects named in a text field (ids separated by commas, spaces or new lines; empty:
     * any project).
     */
    public VerificationKey forProjects(String projectIds) {
        return forProjects(Set.copyOf(Patterns.split(projectIds)));
    }

    /** Whether the text is usable as a shared key; for form validation. */
    public static boolean isValidSharedKey(String text) {
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

    boolean appliesTo(String project) {
        return projects.isEmpty() || (project != null && projects.contains(project));
    }

    byte[] material() {
        return material;
    }

    /** Tokens are compared as SHA-256 digests so that the comparison takes the same time whatever their lengths. */
    static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        // Never the secret.
        return "VerificationKey[" + id + ", " + kind + (global ? ", global" : "") + (target == null ? "" : ", for " + target) + "]";
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
