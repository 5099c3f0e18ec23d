package io.jenkins.plugins.platformsh.config;

import hudson.Util;
import hudson.util.FormValidation;
import io.jenkins.plugins.platformsh.delivery.text.Validation;
import io.jenkins.plugins.platformsh.delivery.verify.NamedKey;
import io.jenkins.plugins.platformsh.delivery.verify.VerificationKey;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/** Turns the delivery package's verdicts into form messages. FormValidation escapes the text itself. */
public final class PlatformshForms {

    /** Said of every credential chosen as a token. */
    public static final String TOKEN_WARNING = "A token travels in the URL (?token=) and proves only that the sender "
            + "knows it: anyone who can reach Jenkins can try guesses. Use a long random value, and prefer a shared "
            + "key where the sender supports it.";

    private static final String NOT_IN_GLOBAL_STORE =
            "No Secret text credentials with this id in the global credentials.";

    private PlatformshForms() {}

    /** An error if the same credentials are named both as the shared key and as the token. */
    public static Validation oneRole(String sharedKeyId, String tokenId) {
        return NamedKey.checkRoles(sharedKeyId, tokenId);
    }

    /**
     * A token field of the global configuration or of an additional key, checked by an administrator: not the same
     * credentials as the shared key beside it, found in the global store, and always the token's warning.
     */
    static FormValidation checkGlobalToken(String value, String sharedKeyId) {
        if (Util.fixEmptyAndTrim(value) == null) {
            return FormValidation.ok();
        }
        Validation roles = oneRole(sharedKeyId, value);
        if (roles.isError()) {
            return toFormValidation(roles);
        }
        if (SecretTexts.global(value.trim()) == null) {
            return FormValidation.error(NOT_IN_GLOBAL_STORE);
        }
        return FormValidation.warning(TOKEN_WARNING);
    }

    /** A shared-key field of the global configuration or of an additional key: found, and usable as a key. */
    static FormValidation checkGlobalSharedKey(String id) {
        StringCredentials c = SecretTexts.global(id.trim());
        if (c == null) {
            return FormValidation.error(NOT_IN_GLOBAL_STORE);
        }
        return toFormValidation(VerificationKey.checkSharedKeyText(c.getSecret().getPlainText()));
    }

    public static FormValidation toFormValidation(Validation v) {
        switch (v.level()) {
            case ERROR:
                return FormValidation.error(v.message());
            case WARNING:
                return FormValidation.warning(v.message());
            default:
                return FormValidation.ok();
        }
    }
}
