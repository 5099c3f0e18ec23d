package io.jenkins.plugins.platformsh.config;

import hudson.util.FormValidation;
import io.jenkins.plugins.platformsh.delivery.text.Validation;
import io.jenkins.plugins.platformsh.delivery.verify.NamedKey;

/** Turns the delivery package's verdicts into form messages. FormValidation escapes the text itself. */
public final class PlatformshForms {

    /** Said of every credential chosen as a token. */
    public static final String TOKEN_WARNING = "A token travels in the URL (?token=) and proves only that the sender "
            + "knows it: anyone who can reach Jenkins can try guesses. Use a long random value, and prefer a shared "
            + "key where the sender supports it.";

    private PlatformshForms() {}

    /** An error if the same credentials are named both as the shared key and as the token. */
    public static Validation oneRole(String sharedKeyId, String tokenId) {
        return NamedKey.checkRoles(sharedKeyId, tokenId);
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
