/**
 * Redaction: secrets out of a payload ({@code Redactor}) and out of free text ({@code SecretsInText}), and the
 * redacted copy of a delivery, made once when something first needs it ({@code RedactedCopy}). Everything kept or
 * shown goes through here. Uses {@code activity} and {@code text}.
 */
package io.jenkins.plugins.platformsh.delivery.redact;
