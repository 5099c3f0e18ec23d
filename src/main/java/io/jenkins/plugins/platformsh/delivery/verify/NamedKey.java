package io.jenkins.plugins.platformsh.delivery.verify;

import io.jenkins.plugins.platformsh.delivery.text.Validation;
import java.util.Objects;

/**
 * A credentials id as a trigger, a waiting step or the global configuration names it, with the one role it was named
 * in: a shared key (checked against {@code X-JWS-Signature}) or a token (compared with {@code ?token=} or
 * {@code X-Platformsh-Token}). A secret named as a shared key is never accepted as a token, nor the other way round:
 * otherwise anyone could test guesses of a signing key with {@code ?token=}.
 */
public record NamedKey(String credentialsId, VerificationKey.Kind role) {

    public NamedKey {
        Objects.requireNonNull(credentialsId, "credentialsId");
        Objects.requireNonNull(role, "role");
    }

    public static NamedKey sharedKey(String credentialsId) {
        return new NamedKey(credentialsId, VerificationKey.Kind.SHARED_KEY);
    }

    public static NamedKey token(String credentialsId) {
        return new NamedKey(credentialsId, VerificationKey.Kind.TOKEN);
    }

    /** The key of this role for the secret's text, or null when the text is blank (nothing can verify with it). */
    public VerificationKey toKey(String secretText, boolean global) {
        if (secretText == null || secretText.isBlank()) {
            return null;
        }
        return role == VerificationKey.Kind.SHARED_KEY
                ? VerificationKey.sharedKey(credentialsId, secretText, global)
                : VerificationKey.token(credentialsId, secretText, global);
    }

    /**
     * What a form says when one configuration names a shared key and a token: an error if they are the same
     * credentials, which would make a signing key a bearer token again.
     */
    public static Validation checkRoles(String sharedKeyId, String tokenId) {
        String shared = sharedKeyId == null ? "" : sharedKeyId.trim();
        if (!shared.isEmpty() && shared.equals(tokenId == null ? "" : tokenId.trim())) {
            return Validation.error("'" + shared + "' is already the shared key: a credential is either a shared key "
                    + "or a token, never both. Choose another Secret text as the token.");
        }
        return Validation.ok();
    }

    /** "shared key 'id'" or "token 'id'", for reasons and the log. */
    public String describe() {
        return (role == VerificationKey.Kind.SHARED_KEY ? "shared key '" : "token '") + credentialsId + "'";
    }
}
