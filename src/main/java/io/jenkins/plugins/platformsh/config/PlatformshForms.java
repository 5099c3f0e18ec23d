package io.jenkins.plugins.platformsh.config;

import hudson.util.FormValidation;
import io.jenkins.plugins.platformsh.delivery.text.Validation;

/** Turns the delivery package's verdicts into form messages. FormValidation escapes the text itself. */
public final class PlatformshForms {

    private PlatformshForms() {}

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
